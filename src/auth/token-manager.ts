/**
 * Keeps a token fresh (redis-py's TokenManager): renews it at a ratio of its lifetime, and no later
 * than a lower bound before it expires; retries a failed renewal with exponential backoff for as long
 * as it runs, keeping the current token meanwhile; says so through events. Its timers are unref'd: a
 * token manager alone never keeps a process alive.
 */
import { EventEmitter } from 'node:events';
import { inspect } from 'node:util';
import type { Credentials, CredentialListener, StreamingCredentialProvider } from './credentials.js';
import { TokenRenewalError, type Token } from './token.js';

/** Where tokens come from (an identity provider's SDK, a metadata endpoint…). */
export interface IdentityProvider {
  requestToken(): Promise<Token>;
}

/** How a TokenManager retries a failed renewal: attempts, backoff and jitter. */
export interface TokenRetryOptions {
  /** Delay before the first retry, ms. Default 100. */
  initialDelay?: number;
  /** Each further retry waits this many times longer. Default 2. */
  multiplier?: number;
  /** The longest wait between two attempts, ms. Default 10 000. */
  maxDelay?: number;
  /** Up to this fraction of each delay is added at random, so that many clients do not retry in step. Default 0.1. */
  jitter?: number;
}

/** When a TokenManager renews its token (a ratio of the lifetime, a lower bound) and how it retries. */
export interface TokenManagerOptions {
  /** Renew once this fraction of the token's lifetime (from receivedAt to expiresAt) has passed. Default 0.8. */
  expirationRefreshRatio?: number;
  /** Renew at the latest this many ms before the token expires. Default 0. */
  lowerRefreshBound?: number;
  /** A request that takes longer than this (ms) counts as failed. Default 10 000; 0 for no limit. */
  requestTimeout?: number;
  retry?: TokenRetryOptions;
}

/** The events of a TokenManager: a new token, a failed renewal, an expiry with no successor. */
export interface TokenManagerEvents {
  /** A new token: the first one and every renewal. */
  token: [token: Token];
  /** A request failed; another is made after `retryIn` ms. `expired` says the current token has run out. */
  error: [info: { error: Error; attempt: number; retryIn: number; expired: boolean }];
  /** The current token expired and no renewal came; `error` is a TokenRenewalError. */
  expired: [error: TokenRenewalError];
}

function checkOptions(o: TokenManagerOptions): Required<Omit<TokenManagerOptions, 'retry'>> & { retry: Required<TokenRetryOptions> } {
  const ratio = o.expirationRefreshRatio ?? 0.8;
  if (!(ratio > 0 && ratio <= 1)) throw new RangeError('expirationRefreshRatio must be in (0, 1]');
  const num = (v: number | undefined, d: number, name: string, min = 0): number => {
    const n = v ?? d;
    if (!Number.isFinite(n) || n < min) throw new RangeError(`${name} must be a number >= ${min}`);
    return n;
  };
  const r = o.retry ?? {};
  return {
    expirationRefreshRatio: ratio,
    lowerRefreshBound: num(o.lowerRefreshBound, 0, 'lowerRefreshBound'),
    requestTimeout: num(o.requestTimeout, 10_000, 'requestTimeout'),
    retry: {
      initialDelay: num(r.initialDelay, 100, 'retry.initialDelay'),
      multiplier: num(r.multiplier, 2, 'retry.multiplier', 1),
      maxDelay: num(r.maxDelay, 10_000, 'retry.maxDelay'),
      jitter: num(r.jitter, 0.1, 'retry.jitter'),
    },
  };
}

/** Keeps a token fresh: renews it before it expires, retries with backoff, keeps the current one meanwhile. */
export class TokenManager extends EventEmitter<TokenManagerEvents> {
  private readonly opts: ReturnType<typeof checkOptions>;
  private token: Token | null = null;
  private pending: Promise<Token> | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  private expiryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private lastError: Error | null = null;
  private running = false;

  constructor(
    private readonly identity: IdentityProvider,
    options: TokenManagerOptions = {},
  ) {
    super();
    this.opts = checkOptions(options);
  }

  /** The token in use, if there is one that has not expired. */
  get current(): Token | null {
    return this.token !== null && !this.token.isExpired() ? this.token : null;
  }

  /**
   * A valid token: the current one, or one requested now. Starts the renewal schedule. A failure of
   * that first request rejects (and is retried in the background).
   */
  getToken(): Promise<Token> {
    this.running = true;
    const current = this.current;
    if (current !== null) return Promise.resolve(current);
    return this.request();
  }

  /**
   * Asks for a new token now, whatever the schedule (say, when the current one was revoked early);
   * connections re-authenticate with it as with any renewal. A failure rejects and is retried as usual.
   */
  refresh(): Promise<Token> {
    this.running = true;
    return this.request();
  }

  /** Stops renewing; the current token stays readable until it expires. */
  stop(): void {
    this.running = false;
    for (const t of [this.renewTimer, this.expiryTimer]) if (t !== null) clearTimeout(t);
    this.renewTimer = this.expiryTimer = null;
  }

  /** When the next renewal is due, ms since the epoch: the ratio of the lifetime, capped by the bound. */
  renewalTime(token: Token): number {
    const life = token.expiresAt - token.receivedAt;
    const byRatio = token.receivedAt + life * this.opts.expirationRefreshRatio;
    return Math.min(byRatio, token.expiresAt - this.opts.lowerRefreshBound);
  }

  private request(): Promise<Token> {
    if (this.pending !== null) return this.pending;
    if (this.renewTimer !== null) {
      clearTimeout(this.renewTimer);
      this.renewTimer = null;
    }
    const attempt = withTimeout(this.identity.requestToken(), this.opts.requestTimeout);
    this.pending = attempt.then(
      (token) => {
        this.pending = null;
        this.accept(token);
        return token;
      },
      (e: unknown) => {
        this.pending = null;
        const error = e instanceof Error ? e : new Error(String(e));
        this.failed(error);
        throw error;
      },
    );
    return this.pending;
  }

  private accept(token: Token): void {
    if (typeof token !== 'object' || token === null || typeof token.value !== 'string' || !Number.isFinite(token.expiresAt)) {
      this.failed(new TypeError('the identity provider returned something that is not a Token'));
      return;
    }
    this.token = token;
    this.failures = 0;
    this.lastError = null;
    if (this.expiryTimer !== null) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    if (this.running) {
      this.expiryTimer = unref(setTimeout(() => this.onExpired(token), Math.max(0, token.expiresAt - Date.now())));
      this.renewTimer = unref(setTimeout(() => this.renew(), Math.max(0, this.renewalTime(token) - Date.now())));
    }
    this.emit('token', token);
  }

  private renew(): void {
    this.renewTimer = null;
    if (this.running) this.request().catch(() => {});
  }

  private failed(error: Error): void {
    this.failures++;
    this.lastError = error;
    const r = this.opts.retry;
    const base = Math.min(r.maxDelay, r.initialDelay * r.multiplier ** (this.failures - 1));
    const retryIn = Math.round(base * (1 + Math.random() * r.jitter));
    if (this.running) {
      if (this.renewTimer !== null) clearTimeout(this.renewTimer);
      this.renewTimer = unref(setTimeout(() => this.renew(), retryIn));
    }
    if (this.listenerCount('error') > 0) this.emit('error', { error, attempt: this.failures, retryIn, expired: this.current === null });
  }

  private onExpired(token: Token): void {
    this.expiryTimer = null;
    if (this.token !== token) return;
    const why = this.lastError !== null ? `: ${this.lastError.message}` : '';
    this.emit('expired', new TokenRenewalError(`the token expired and could not be renewed${why}`, { cause: this.lastError ?? undefined }));
  }

  [inspect.custom](): string {
    return `TokenManager { running: ${this.running}, token: ${this.token === null ? 'null' : inspect(this.token)}, failures: ${this.failures} }`;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  if (ms <= 0) return p;
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`the identity provider did not answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

function unref(t: NodeJS.Timeout): NodeJS.Timeout {
  t.unref();
  return t;
}

/** Options of a TokenCredentialProvider: the TokenManager's, plus where the username comes from. */
export interface TokenCredentialsOptions extends TokenManagerOptions {
  /** The ACL user the tokens authenticate: a name, or read from each token (e.g. its `oid` claim). Default `default`. */
  username?: string | ((token: Token) => string);
}

/**
 * A streaming credential provider over a token manager: every connection authenticates with the
 * current token, and re-authenticates with each renewal.
 */
export class TokenCredentialProvider implements StreamingCredentialProvider {
  readonly manager: TokenManager;
  private readonly listeners = new Set<CredentialListener>();
  private readonly username: string | ((token: Token) => string) | undefined;

  constructor(identity: IdentityProvider, options: TokenCredentialsOptions = {}) {
    const { username, ...managerOptions } = options;
    this.username = username;
    this.manager = new TokenManager(identity, managerOptions);
    this.manager.on('token', (token) => {
      const c = this.toCredentials(token);
      for (const l of [...this.listeners]) l.onCredentials(c);
    });
    this.manager.on('error', ({ error, expired }) => {
      for (const l of [...this.listeners]) l.onError(error, expired);
    });
    this.manager.on('expired', (error) => {
      for (const l of [...this.listeners]) l.onError(error, true);
    });
  }

  async getCredentials(): Promise<Credentials> {
    return this.toCredentials(await this.manager.getToken());
  }

  subscribe(listener: CredentialListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Stops renewing tokens (connections keep the one they have). */
  stop(): void {
    this.manager.stop();
  }

  private toCredentials(token: Token): Credentials {
    const u = this.username;
    return { username: typeof u === 'function' ? u(token) : u ?? 'default', password: token.value };
  }

  [inspect.custom](): string {
    return `TokenCredentialProvider { listeners: ${this.listeners.size}, manager: ${inspect(this.manager)} }`;
  }
}
