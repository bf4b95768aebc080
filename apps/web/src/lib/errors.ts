import { isErrorCode, type ErrorCode } from '@plugboard/contracts';
import { useLingui } from '@lingui/react';
import { useMemo } from 'react';
import { useT } from '../i18n/react';

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

/**
 * The text for an error code in `locale`: the server's own message in English (it can be more
 * specific, and is what API users see too), else the catalog's `errors.<CODE>`.
 */
export function errorTextFor(
  locale: string,
  code: ErrorCode,
  serverMessage: string | null | undefined,
  translate: (id: `errors.${ErrorCode}`) => string,
): string {
  return locale === 'en' && serverMessage ? serverMessage : translate(`errors.${code}`);
}

/**
 * What to tell a person about an error, in the active locale. The UI translates by the stable
 * code (`errors.<CODE>` in the catalogs, whose English is packages/contracts/src/errors.ts); in
 * English it shows the server's own message, which can be more specific ("Notion is not
 * available…") and is what API users see too.
 */
export function useErrorText() {
  const t = useT();
  const { i18n } = useLingui();
  return useMemo(() => {
    const byCode = (code: ErrorCode, serverMessage?: string | null) =>
      errorTextFor(i18n.locale, code, serverMessage, t);

    const of = (error: unknown): string => {
      const code = errorCodeOf(error);
      if (code !== null) return byCode(code, error instanceof Error ? error.message : null);
      const cause = error instanceof Error ? error.cause : undefined;
      // fetch() rejects with a TypeError when the server cannot be reached at all.
      if (error instanceof TypeError || cause instanceof TypeError) return t('errors.unreachable');
      return t('errors.INTERNAL');
    };

    /** `of`, plus the wait the server asked for when the message does not already say it. */
    const withRetry = (error: unknown): string => {
      const message = of(error);
      const seconds = retryAfterSecondsOf(error);
      if (seconds === null || message.includes(i18n.number(seconds))) return message;
      return `${message} ${t('errors.retryAfter', { seconds })}`;
    };

    return { byCode, of, withRetry };
  }, [t, i18n]);
}

/**
 * The provider input (`shop`) a failed start names as wrong (the server's `data.issues` path
 * `inputs.<name>`), or null when the error is not about one input.
 */
export function inputNameOf(error: unknown): string | null {
  return fieldNameOf(error, 'inputs');
}

/**
 * The field a failed call names as wrong: the first `data.issues` path `<group>.<name>`
 * (`inputs.shop` for an OAuth start, `values.botToken` for an API-key connect), or null.
 */
export function fieldNameOf(error: unknown, group: 'inputs' | 'values'): string | null {
  if (typeof error !== 'object' || error === null || !('data' in error)) return null;
  const data: unknown = error.data;
  if (typeof data !== 'object' || data === null || !('issues' in data)) return null;
  const issues: unknown = data.issues;
  if (!Array.isArray(issues)) return null;
  const prefix = `${group}.`;
  for (const issue of issues as unknown[]) {
    if (typeof issue !== 'object' || issue === null || !('path' in issue)) continue;
    const path = typeof issue.path === 'string' ? issue.path : '';
    if (path.startsWith(prefix) && path.length > prefix.length) return path.slice(prefix.length);
  }
  return null;
}
