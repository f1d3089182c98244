export { StaticCredentialProvider, resolveCredentials } from './credentials.js';
export type { Credentials, CredentialProvider, StreamingCredentialProvider, CredentialListener, CredentialsOption } from './credentials.js';
export { SimpleToken, JWToken, InvalidTokenSchemaError, TokenRenewalError } from './token.js';
export type { Token } from './token.js';
export { TokenManager, TokenCredentialProvider } from './token-manager.js';
export type { IdentityProvider, TokenManagerOptions, TokenRetryOptions, TokenManagerEvents, TokenCredentialsOptions } from './token-manager.js';
export { EventDispatcher } from './events.js';
export type { RedwireEvents, CredentialsRenewedEvent } from './events.js';
