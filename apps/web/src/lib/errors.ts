import { ERROR_MESSAGES, isErrorCode, type ErrorCode } from '@plugboard/contracts';

/**
 * The stable Plugboard code of a failed tRPC call, or null for anything else (network down,
 * unexpected response). Read defensively: a proxy or a crash can answer with no `data` at all.
 */
export function errorCodeOf(error: unknown): ErrorCode | null {
  if (typeof error !== 'object' || error === null || !('data' in error)) return null;
  const data: unknown = error.data;
  if (typeof data !== 'object' || data === null || !('code' in data)) return null;
  return isErrorCode(data.code) ? data.code : null;
}

/** What to tell a person: the server's message when it sent a code, else a generic one. */
export function errorMessageOf(error: unknown): string {
  if (errorCodeOf(error) !== null && error instanceof Error && error.message) return error.message;
  const cause = error instanceof Error ? error.cause : undefined;
  if (error instanceof TypeError || cause instanceof TypeError) {
    // fetch() rejects with a TypeError when the server cannot be reached at all.
    return 'Plugboard could not be reached. Check your connection and try again.';
  }
  return ERROR_MESSAGES.INTERNAL;
}

/** Codes worth retrying automatically: the rest will fail the same way again. */
export function isTransient(error: unknown): boolean {
  const code = errorCodeOf(error);
  return code === null || code === 'INTERNAL' || code === 'PROVIDER_UNAVAILABLE';
}

/** How long the server asks to wait before trying again (FLOOD_WAIT, rate limits), if it said. */
export function retryAfterSecondsOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null || !('data' in error)) return null;
  const data: unknown = error.data;
  if (typeof data !== 'object' || data === null || !('retryAfterSeconds' in data)) return null;
  const seconds = data.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}

/** errorMessageOf, plus the wait the server asked for when its message does not say it. */
export function errorMessageWithRetryOf(error: unknown): string {
  const message = errorMessageOf(error);
  const seconds = retryAfterSecondsOf(error);
  if (seconds === null || message.includes(String(seconds))) return message;
  return `${message} Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`;
}

/**
 * The provider input (`shop`) a failed start names as wrong (the server's `data.issues` path
 * `inputs.<name>`), or null when the error is not about one input.
 */
export function inputNameOf(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('data' in error)) return null;
  const data: unknown = error.data;
  if (typeof data !== 'object' || data === null || !('issues' in data)) return null;
  const issues: unknown = data.issues;
  if (!Array.isArray(issues)) return null;
  for (const issue of issues as unknown[]) {
    if (typeof issue !== 'object' || issue === null || !('path' in issue)) continue;
    const match = typeof issue.path === 'string' ? /^inputs\.(.+)$/.exec(issue.path) : null;
    if (match?.[1]) return match[1];
  }
  return null;
}
