/**
 * Stable machine codes. A client branches on `code`; the message is for a person. The codes are
 * a list of their own so a browser can check one without downloading every English message.
 */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'CONNECT_TOKEN_INVALID',
  'API_KEY_INVALID',
  'ACCESS_TOKEN_EXPIRED',
  'SCOPE_MISSING',
  'FORBIDDEN',
  'CSRF_REJECTED',
  'EMBED_ORIGIN_NOT_ALLOWED',
  'POPUP_BLOCKED',
  'VALIDATION_FAILED',
  'PROVIDER_UNKNOWN',
  'PROVIDER_NOT_AVAILABLE',
  'PROVIDER_DISABLED',
  'INPUT_INVALID',
  'RETURN_TO_INVALID',
  'LAUNCH_INVALID',
  'NOT_FOUND',
  'CONNECTION_NEEDS_REAUTH',
  'STATE_INVALID',
  'STATE_EXPIRED',
  'STATE_USED',
  'CODE_MISSING',
  'PROVIDER_DENIED',
  'PROVIDER_ERROR',
  'RECONNECT_ACCOUNT_MISMATCH',
  'GRANT_INVALID',
  'PROVIDER_UNAVAILABLE',
  'HMAC_INVALID',
  'SIGNATURE_INVALID',
  'SIGNATURE_EXPIRED',
  'CREDENTIALS_REJECTED',
  'CODE_INVALID',
  'CODE_EXPIRED',
  'PASSWORD_NEEDED',
  'PASSWORD_INVALID',
  'PHONE_INVALID',
  'FLOOD_WAIT',
  'TOO_MANY_ATTEMPTS',
  'FLOW_STEP_INVALID',
  'PROXY_TARGET_REFUSED',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'METHOD_NOT_ALLOWED',
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_KEY_IN_PROGRESS',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Every code's default message: what happened and what to do next. */
export const ERROR_MESSAGES = {
  // Browser session and connect tokens
  UNAUTHENTICATED: 'Your session has ended. Open the connect link from the app again.',
  CONNECT_TOKEN_INVALID:
    'This connect link is invalid, expired or already used. Ask the app for a new one.',
  API_KEY_INVALID: 'The API key is missing or not valid.',
  ACCESS_TOKEN_EXPIRED: 'The access token has expired. Get a new one from POST /oauth/token.',
  SCOPE_MISSING: 'This API key or client does not have the scope this call needs.',
  FORBIDDEN: 'You are not allowed to do that.',
  CSRF_REJECTED: 'The request came from another site and was refused.',
  // Embedding (@plugboard/connect)
  EMBED_ORIGIN_NOT_ALLOWED:
    'This connect link was not made for the page that opened it. Nothing was connected; ask the app for a new link.',
  POPUP_BLOCKED:
    'The browser blocked the connect window. Allow pop-ups for this site and try again.',
  // Input
  VALIDATION_FAILED: 'Some input was not valid.',
  PROVIDER_UNKNOWN: 'That provider is not supported.',
  PROVIDER_NOT_AVAILABLE: 'That provider cannot be connected yet.',
  /** Turned off with `server.integrations.disable`; existing connections keep working. */
  PROVIDER_DISABLED:
    'This provider is turned off for this app, so it cannot be connected now. Choose another one or ask the administrator of the app.',
  /** A provider's own input (Shopify's shop domain, …): the message names the field and its form. */
  INPUT_INVALID: 'A value you entered is not valid for this provider. Check it and try again.',
  RETURN_TO_INVALID: 'The return address is not allowed for this app.',
  LAUNCH_INVALID:
    'This sign-in link is invalid, expired or already used. Start connecting again from the app.',
  NOT_FOUND: 'Nothing was found with that id.',
  CONNECTION_NEEDS_REAUTH:
    'The provider no longer accepts this connection. The user must connect the account again.',
  // OAuth callback
  STATE_INVALID:
    'This sign-in response is not valid for this browser. Start connecting again from the app.',
  STATE_EXPIRED: 'The sign-in took too long and expired. Start connecting again.',
  STATE_USED: 'This sign-in response was already used. Start connecting again if needed.',
  CODE_MISSING: 'The provider did not send an authorization code. Start connecting again.',
  PROVIDER_DENIED: 'Access was not granted. Nothing was connected.',
  PROVIDER_ERROR: 'The provider refused the request. Start connecting again.',
  RECONNECT_ACCOUNT_MISMATCH:
    'You signed in to a different account than the one you are reconnecting. Nothing was changed.',
  GRANT_INVALID: 'The provider did not accept the authorization. Start connecting again.',
  PROVIDER_UNAVAILABLE: 'The provider is not available right now. Try again in a few minutes.',
  HMAC_INVALID: 'The response from the shop could not be verified. Start connecting again.',
  // Provider event webhooks (apps/server/src/routes/provider-events.ts)
  SIGNATURE_INVALID:
    'The request does not carry a valid signature from the provider. Nothing was changed.',
  SIGNATURE_EXPIRED:
    'The signed request is too old, or the clock of the sender is off. Nothing was changed.',
  // API keys and bot tokens
  /** The provider refused a typed credential (401/403 to the verification call): nothing stored. */
  CREDENTIALS_REJECTED:
    'The provider did not accept these credentials. Check that you copied the whole key and try again.',
  // Telegram
  CODE_INVALID: 'That code is not right. Check it and try again.',
  CODE_EXPIRED: 'That code has expired or was already used. Ask for a new code.',
  PASSWORD_NEEDED: 'This account has two-step verification. Enter your password.',
  PASSWORD_INVALID: 'That password is not right. Check it and try again.',
  PHONE_INVALID:
    'That phone number is not valid for Telegram. Check the country code and the number.',
  FLOOD_WAIT: 'Too many attempts. Wait a little and try again.',
  TOO_MANY_ATTEMPTS: 'Too many wrong tries. Start again to get a new code.',
  FLOW_STEP_INVALID:
    'This sign-in is not at that step (it may have finished or failed). Start again if needed.',
  // API proxy (/v1/proxy)
  PROXY_TARGET_REFUSED:
    "The request would leave this provider's API, so it was not sent. Use a path on the provider's own API.",
  // Generic
  RATE_LIMITED: 'Too many requests. Wait a moment and try again.',
  PAYLOAD_TOO_LARGE: 'The request is too large.',
  /** REST (`/v1`): the path exists, the method does not; the `Allow` header lists the methods. */
  METHOD_NOT_ALLOWED:
    'This address does not accept that method. The Allow header lists the ones it does.',
  /** REST `Idempotency-Key`: the key was used before (within 24 h) for a different request. */
  IDEMPOTENCY_KEY_REUSED:
    'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
  IDEMPOTENCY_KEY_IN_PROGRESS:
    'A request with this Idempotency-Key is still being processed. Retry in a moment to get its result.',
  INTERNAL: 'Something went wrong on our side. Try again; if it keeps happening, contact support.',
} as const satisfies Record<ErrorCode, string>;

const CODES: ReadonlySet<string> = new Set(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODES.has(value);
}

/** HTTP-ish status each code maps to (tRPC maps these onto its own codes). */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  CONNECT_TOKEN_INVALID: 401,
  API_KEY_INVALID: 401,
  ACCESS_TOKEN_EXPIRED: 401,
  SCOPE_MISSING: 403,
  FORBIDDEN: 403,
  CSRF_REJECTED: 403,
  EMBED_ORIGIN_NOT_ALLOWED: 403,
  POPUP_BLOCKED: 400,
  VALIDATION_FAILED: 400,
  PROVIDER_UNKNOWN: 404,
  PROVIDER_NOT_AVAILABLE: 400,
  PROVIDER_DISABLED: 403,
  INPUT_INVALID: 400,
  RETURN_TO_INVALID: 400,
  LAUNCH_INVALID: 400,
  NOT_FOUND: 404,
  CONNECTION_NEEDS_REAUTH: 409,
  STATE_INVALID: 400,
  STATE_EXPIRED: 400,
  STATE_USED: 409,
  CODE_MISSING: 400,
  PROVIDER_DENIED: 400,
  PROVIDER_ERROR: 502,
  RECONNECT_ACCOUNT_MISMATCH: 409,
  GRANT_INVALID: 400,
  PROVIDER_UNAVAILABLE: 503,
  HMAC_INVALID: 400,
  SIGNATURE_INVALID: 401,
  SIGNATURE_EXPIRED: 400,
  CREDENTIALS_REJECTED: 400,
  CODE_INVALID: 400,
  CODE_EXPIRED: 400,
  PASSWORD_NEEDED: 401,
  PASSWORD_INVALID: 400,
  PHONE_INVALID: 400,
  FLOOD_WAIT: 429,
  TOO_MANY_ATTEMPTS: 429,
  FLOW_STEP_INVALID: 409,
  PROXY_TARGET_REFUSED: 403,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  METHOD_NOT_ALLOWED: 405,
  IDEMPOTENCY_KEY_REUSED: 409,
  IDEMPOTENCY_KEY_IN_PROGRESS: 409,
  INTERNAL: 500,
};

/**
 * The one error type of Plugboard's own code. `message` is safe to show to a person: never put a
 * token, code, secret or SQL in it. `detail` is for logs and must be equally clean.
 */
export class PlugboardError extends Error {
  readonly code: ErrorCode;
  readonly retryAfterSeconds: number | undefined;
  /** The provider input (`shop`) that was wrong, so a form can show the message at that field. */
  readonly input: string | undefined;
  /** The input field (its path, e.g. `url`) a VALIDATION_FAILED found by a service is about. */
  readonly field: string | undefined;

  constructor(
    code: ErrorCode,
    message: string = ERROR_MESSAGES[code],
    options: { cause?: unknown; retryAfterSeconds?: number; input?: string; field?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PlugboardError';
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.input = options.input;
    this.field = options.field;
  }
}
