import { PlugboardError, type ProviderId } from '@plugboard/contracts';

/**
 * The one HTTP client for talking to providers. It enforces a timeout, turns network failures,
 * timeouts, 5xx and 429 into PROVIDER_UNAVAILABLE, and never puts a URL's query, a body or a
 * header value into an error message (they may carry codes or tokens).
 */
export interface ProviderHttpOptions {
  timeoutMs: number;
  /** Injected for tests that need a different transport; defaults to global fetch. */
  fetch?: typeof fetch;
  /** The provider's display name for error messages (defaults to the id). */
  nameOf?: (providerId: ProviderId) => string;
  /** Wraps every call, for traces and metrics (apps/server/src/observability); none by default. */
  observe?: ProviderCallObserver;
}

/** What a call is for: a bounded set, safe as a metric label or span name. */
export type ProviderOperation = 'token_exchange' | 'refresh' | 'identity' | 'revoke' | 'api';

/** A call as an observer sees it: the URL without query (origin only if its path is secret). */
export interface ProviderCallInfo {
  providerId: ProviderId;
  operation: ProviderOperation;
  method: ProviderRequest['method'];
  /** Scheme, host and path (`safeUrl`): never a query, never a secret path. */
  url: string;
}

/** Runs `call` (the response, whatever its status; rejects only when no answer came) and may observe it. */
export type ProviderCallObserver = <T extends { status: number }>(
  info: ProviderCallInfo,
  call: () => Promise<T>,
) => Promise<T>;

export interface ProviderResponse {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export type ProviderRequest = {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: { form: Record<string, string> } | { json: unknown };
  /** The URL's path carries a token (HubSpot): errors then name the origin only. */
  secretInPath?: boolean;
  /** What the call is for (traces and metrics); `api` when not given. */
  operation?: ProviderOperation;
};

export class ProviderHttp {
  constructor(private readonly options: ProviderHttpOptions) {}

  private nameOf(providerId: ProviderId): string {
    return this.options.nameOf?.(providerId) ?? providerId;
  }

  async request(providerId: ProviderId, req: ProviderRequest): Promise<ProviderResponse> {
    const observe = this.options.observe;
    const send = () => this.send(providerId, req);
    const res = observe
      ? await observe(
          {
            providerId,
            operation: req.operation ?? 'api',
            method: req.method,
            url: safeUrl(req.url, req.secretInPath),
          },
          send,
        )
      : await send();
    if (res.status === 429 || res.status >= 500) {
      const retryAfter = retryAfterSeconds(res.headers);
      throw new PlugboardError(
        'PROVIDER_UNAVAILABLE',
        res.status === 429
          ? `${this.nameOf(providerId)} is rate limiting requests. Try again in a few minutes.`
          : `${this.nameOf(providerId)} is having problems (HTTP ${res.status}). Try again in a few minutes.`,
        Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {},
      );
    }
    return res;
  }

  /** One exchange: rejects only when no answer came (network error, timeout). */
  private async send(providerId: ProviderId, req: ProviderRequest): Promise<ProviderResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.body && 'form' in req.body) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(req.body.form).toString();
    } else if (req.body && 'json' in req.body) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.body.json);
    }
    const doFetch = this.options.fetch ?? fetch;
    let res: Response;
    let text: string;
    try {
      res = await doFetch(req.url, {
        method: req.method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      text = await res.text();
    } catch (cause) {
      const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
      throw new PlugboardError(
        'PROVIDER_UNAVAILABLE',
        timedOut
          ? `${this.nameOf(providerId)} did not answer in time. Try again in a few minutes.`
          : `${this.nameOf(providerId)} could not be reached. Try again in a few minutes.`,
        {
          cause: new Error(
            `${req.method} ${safeUrl(req.url, req.secretInPath)} failed: ${timedOut ? 'timeout' : 'network error'}`,
          ),
        },
      );
    }
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = Object.fromEntries(new URLSearchParams(text));
      }
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }
}

/**
 * How long a 429/5xx says to wait: `Retry-After` (RFC 9110 §10.2.3, delay seconds), else
 * `X-RateLimit-Reset`, which Calendly sends as seconds until the window resets and without
 * Retry-After (https://developer.calendly.com/api-docs/overview/rate-limits) and GitHub as a
 * Unix time (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api).
 */
function retryAfterSeconds(headers: Headers): number {
  const retryAfter = Number(headers.get('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter;
  return rateLimitResetSeconds(headers.get('x-ratelimit-reset')) ?? NaN;
}

/**
 * `X-RateLimit-Reset` as whole seconds to wait, or null when it says nothing usable: a wait in
 * seconds (Calendly: https://developer.calendly.com/api-docs/overview/rate-limits) or, past 1e9
 * (2001-09-09), a Unix time (GitHub:
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api). Used for
 * provider calls here and for the proxy's Retry-After (packages/core/src/services/proxy.ts).
 */
export function rateLimitResetSeconds(
  value: string | null | undefined,
  nowMs = Date.now(),
): number | null {
  const reset = Number(value ?? NaN);
  if (!Number.isFinite(reset) || reset <= 0) return null;
  const wait = Math.ceil(reset > 1e9 ? reset - nowMs / 1000 : reset);
  return wait > 0 ? wait : null;
}

/** Scheme, host and path only: queries may carry codes or tokens (and some paths do too). */
export function safeUrl(url: string, secretInPath = false): string {
  try {
    const u = new URL(url);
    return secretInPath ? `${u.origin}/…` : `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}
