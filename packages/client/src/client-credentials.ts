import type { Scope } from '@plugboard/contracts';

/** Where the client gets the bearer for each request. */
export interface TokenSource {
  token(): Promise<string>;
  /** Whether a 401 is worth one retry with a fresh token. */
  renewable: boolean;
  /** Forget `token` (it was refused) so the next `token()` fetches a new one. */
  invalidate(token: string): void;
}

/** POST /oauth/token refused: `error` is RFC 6749 §5.2's code (`invalid_client`, …). */
export class PlugboardTokenError extends Error {
  constructor(
    readonly error: string,
    readonly status: number,
    description: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'PlugboardTokenError';
  }
}

/** A token is renewed this long before it expires (or at half its life, if that is sooner). */
const RENEW_MARGIN_MS = 60_000;

/**
 * The OAuth 2.0 client credentials grant (RFC 6749 §4.4,
 * https://datatracker.ietf.org/doc/html/rfc6749#section-4.4) with HTTP Basic client
 * authentication (§2.3.1: id and secret form-urlencoded first). One request at a time: calls
 * waiting for a token share it.
 */
export function clientCredentials(opts: {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scopes?: Scope[];
  fetch: typeof fetch;
  now: () => number;
}): TokenSource {
  let current: { token: string; renewAt: number } | null = null;
  let inflight: Promise<string> | null = null;
  const basic = Buffer.from(
    `${encodeURIComponent(opts.clientId)}:${encodeURIComponent(opts.clientSecret)}`,
  ).toString('base64');

  async function fetchToken(): Promise<string> {
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (opts.scopes?.length) body.set('scope', opts.scopes.join(' '));
    const requestedAt = opts.now();
    const res = await opts.fetch(opts.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: body.toString(),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok || typeof json['access_token'] !== 'string') {
      throw new PlugboardTokenError(
        typeof json['error'] === 'string' ? json['error'] : 'token_request_failed',
        res.status,
        typeof json['error_description'] === 'string'
          ? json['error_description']
          : `POST /oauth/token answered ${res.status}.`,
      );
    }
    const lifetimeMs = (typeof json['expires_in'] === 'number' ? json['expires_in'] : 0) * 1000;
    current = {
      token: json['access_token'],
      renewAt: requestedAt + lifetimeMs - Math.min(RENEW_MARGIN_MS, lifetimeMs / 2),
    };
    return current.token;
  }

  return {
    renewable: true,
    async token() {
      if (current && opts.now() < current.renewAt) return current.token;
      inflight ??= fetchToken().finally(() => {
        inflight = null;
      });
      return inflight;
    },
    invalidate(token) {
      if (current?.token === token) current = null;
    },
  };
}
