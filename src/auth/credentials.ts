/**
 * Credentials as redis-py's CredentialProvider has them: a static pair, a provider asked on every new
 * connection, or a streaming provider that also pushes each renewal to every live connection.
 */
import { inspect } from 'node:util';
import { AuthenticationError } from '../errors.js';

/** An ACL user and its password (or token). No username means the `default` user. */
export interface Credentials {
  username?: string;
  password: string;
}

/** Asked for the credentials each time a connection is made (and re-made). */
export interface CredentialProvider {
  getCredentials(): Promise<Credentials>;
}

/** Told of what a streaming provider does after a connection has authenticated. */
export interface CredentialListener {
  /** New credentials: every live connection sends AUTH with them. */
  onCredentials(credentials: Credentials): void;
  /**
   * The provider failed. `expired` says the credentials last given are no longer valid and none
   * came to replace them: connections refuse new commands with this error until the next ones come.
   */
  onError(error: Error, expired: boolean): void;
}

/** A provider whose credentials change over time (tokens): connections re-authenticate in place. */
export interface StreamingCredentialProvider extends CredentialProvider {
  /** Starts telling `listener` of renewals and failures; the returned function stops it. */
  subscribe(listener: CredentialListener): () => void;
}

/** The `credentials` client option. */
export type CredentialsOption = Credentials | CredentialProvider;

export function isProvider(c: CredentialsOption): c is CredentialProvider {
  return typeof (c as CredentialProvider).getCredentials === 'function';
}

export function isStreaming(c: CredentialsOption | undefined): c is StreamingCredentialProvider {
  return c !== undefined && isProvider(c) && typeof (c as StreamingCredentialProvider).subscribe === 'function';
}

/** Checks what a provider returned: a wrong shape must not reach the socket as AUTH undefined. */
function checked(c: unknown): Credentials {
  if (typeof c !== 'object' || c === null) throw new TypeError('the credential provider returned no credentials object');
  const { username, password } = c as { username?: unknown; password?: unknown };
  if (typeof password !== 'string') throw new TypeError('the credential provider returned credentials without a string password');
  if (username !== undefined && username !== null && typeof username !== 'string') throw new TypeError('the credential provider returned a username that is not a string');
  return typeof username === 'string' ? { username, password } : { password };
}

/**
 * The credentials to authenticate with now. A provider's failure becomes an AuthenticationError that
 * keeps the provider's error as its cause (its message is the provider's, which must hold no secret).
 */
export async function resolveCredentials(option: CredentialsOption): Promise<Credentials> {
  if (!isProvider(option)) return checked(option);
  let got: unknown;
  try {
    got = await option.getCredentials();
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw Object.assign(new AuthenticationError(`the credential provider failed: ${why}`, 'PROVIDER'), { cause: e });
  }
  try {
    return checked(got);
  } catch (e) {
    throw Object.assign(new AuthenticationError((e as Error).message, 'PROVIDER'), { cause: e });
  }
}

/** Prints a provider or credentials with nothing secret in it. */
export function redactCredentials(c: CredentialsOption): unknown {
  if (isProvider(c)) return `[${c.constructor?.name ?? 'CredentialProvider'}]`;
  return { username: c.username, password: '[redacted]' };
}

/** A provider that always gives the same pair (what a static `credentials` object means). */
export class StaticCredentialProvider implements CredentialProvider {
  readonly #credentials: Credentials;
  constructor(credentials: Credentials) {
    this.#credentials = checked(credentials);
  }
  getCredentials(): Promise<Credentials> {
    return Promise.resolve({ ...this.#credentials });
  }
  [inspect.custom](): string {
    return `StaticCredentialProvider { username: ${inspect(this.#credentials.username)}, password: '[redacted]' }`;
  }
}
