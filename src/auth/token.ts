/**
 * Tokens with a lifetime (redis-py's SimpleToken / JWToken). A token's value is a secret: it never
 * shows in inspect output or error messages.
 */
import { inspect } from 'node:util';
import { AuthenticationError, RedisError } from '../errors.js';

/** A token the server accepts as a password until it expires. Times are ms since the epoch. */
export interface Token {
  readonly value: string;
  readonly expiresAt: number;
  readonly receivedAt: number;
  /** Claims that may name the user (a JWT's payload); empty for a plain token. */
  readonly claims: Readonly<Record<string, unknown>>;
  isExpired(now?: number): boolean;
  /** ms until expiry (negative once expired). */
  ttl(now?: number): number;
}

/** A JWT that is not one: not three base64url parts, no JSON payload, or no numeric `exp`. */
export class InvalidTokenSchemaError extends RedisError {}

/**
 * The token expired and no renewal came. Commands issued on a connection authenticated with it are
 * refused with this error until a new token arrives; `cause` is the renewal's last failure.
 */
export class TokenRenewalError extends AuthenticationError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'TOKENRENEWAL');
    if (options?.cause !== undefined) Object.defineProperty(this, 'cause', { value: options.cause, configurable: true, writable: true });
  }
}

abstract class BaseToken implements Token {
  abstract readonly value: string;
  abstract readonly expiresAt: number;
  abstract readonly receivedAt: number;
  abstract readonly claims: Readonly<Record<string, unknown>>;
  isExpired(now = Date.now()): boolean {
    return now >= this.expiresAt;
  }
  ttl(now = Date.now()): number {
    return this.expiresAt - now;
  }
  [inspect.custom](): string {
    return `${this.constructor.name} { value: '[redacted]', expiresAt: ${new Date(this.expiresAt).toISOString()}, receivedAt: ${new Date(this.receivedAt).toISOString()} }`;
  }
  toJSON(): Record<string, unknown> {
    return { value: '[redacted]', expiresAt: this.expiresAt, receivedAt: this.receivedAt };
  }
}

/** A token whose expiry the identity provider told separately. */
export class SimpleToken extends BaseToken {
  readonly #value: string;
  constructor(
    value: string,
    readonly expiresAt: number,
    readonly receivedAt: number = Date.now(),
    readonly claims: Readonly<Record<string, unknown>> = {},
  ) {
    super();
    if (typeof value !== 'string' || value === '') throw new TypeError('a token value must be a non-empty string');
    if (!Number.isFinite(expiresAt)) throw new TypeError('a token expiry must be a finite number of ms since the epoch');
    this.#value = value;
  }
  get value(): string {
    return this.#value;
  }
}

/** A JSON Web Token: its expiry and issue time come from its `exp` and `iat` claims (seconds). */
export class JWToken extends BaseToken {
  readonly #value: string;
  readonly expiresAt: number;
  /** When it was issued (`iat`), or when it was made here when it has none. */
  readonly receivedAt: number;
  readonly claims: Readonly<Record<string, unknown>>;

  constructor(jwt: string) {
    super();
    if (typeof jwt !== 'string') throw new InvalidTokenSchemaError('a JWT must be a string');
    const parts = jwt.split('.');
    if (parts.length !== 3 || parts.some((p, i) => (i < 2 && p === '') || !/^[A-Za-z0-9_-]*$/.test(p))) {
      throw new InvalidTokenSchemaError('a JWT must be three base64url parts separated by dots');
    }
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidTokenSchemaError('the JWT payload is not JSON');
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new InvalidTokenSchemaError('the JWT payload is not a JSON object');
    const claims = payload as Record<string, unknown>;
    const exp = claims['exp'];
    if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new InvalidTokenSchemaError('the JWT has no numeric exp claim');
    const iat = claims['iat'];
    if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat))) throw new InvalidTokenSchemaError('the JWT iat claim is not a number');
    this.#value = jwt;
    this.expiresAt = exp * 1000;
    this.receivedAt = typeof iat === 'number' ? iat * 1000 : Date.now();
    this.claims = Object.freeze({ ...claims });
  }
  get value(): string {
    return this.#value;
  }
}
