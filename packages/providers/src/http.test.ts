import { createServer, type Server } from 'node:http';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderHttp, rateLimitResetSeconds } from './http';

/**
 * Everything of an error that could reach a log line or a client: its message and stack, every
 * error in its `cause` chain (non-enumerable, so JSON alone never shows it), its JSON, and what
 * `util.inspect` (console.log, pino's err serializer) prints with hidden properties.
 */
function everythingVisible(err: unknown): string {
  const parts: string[] = [JSON.stringify(err) ?? '', String(err)];
  parts.push(inspect(err, { depth: Infinity, showHidden: true }));
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 10; depth++) {
    parts.push(e.message, e.stack ?? '');
    e = e.cause;
  }
  return parts.join('\n');
}

/** A real local server: the client must turn slowness and failures into PROVIDER_UNAVAILABLE. */
describe('provider HTTP client', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/slow')) return; // never answers
      if (req.url === '/500') return res.writeHead(500).end('{"boom":true}');
      if (req.url === '/429') return res.writeHead(429, { 'retry-after': '7' }).end();
      // Calendly's 429: X-RateLimit-Reset in seconds, no Retry-After.
      if (req.url === '/429-reset') {
        return res
          .writeHead(429, {
            'x-ratelimit-limit': '8',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': '42',
          })
          .end();
      }
      // GitHub's: X-RateLimit-Reset as a Unix time.
      if (req.url === '/429-epoch') {
        const at = Math.floor(Date.now() / 1000) + 90;
        return res.writeHead(429, { 'x-ratelimit-reset': String(at) }).end();
      }
      if (req.url === '/form') return res.writeHead(200).end('access_token=a&scope=repo');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  const http = new ProviderHttp({ timeoutMs: 300 });

  it('parses JSON and form-encoded bodies', async () => {
    expect((await http.request('notion', { method: 'GET', url: `${base}/json` })).body).toEqual({
      ok: true,
    });
    expect((await http.request('notion', { method: 'GET', url: `${base}/form` })).body).toEqual({
      access_token: 'a',
      scope: 'repo',
    });
  });

  it.each([
    ['/slow?code=secret-code', /did not answer in time/],
    ['/500', /having problems \(HTTP 500\)/],
    ['/429', /rate limiting/],
  ])('%s → PROVIDER_UNAVAILABLE', async (path, message) => {
    const err = await http
      .request('notion', { method: 'GET', url: `${base}${path}` })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      message: expect.stringMatching(message),
    });
    const visible = everythingVisible(err);
    expect(visible).toContain('PROVIDER_UNAVAILABLE');
    expect(visible).not.toContain('secret-code');
  });

  it('keeps the cause for operators (method, host and path) without the query', async () => {
    const err = await http
      .request('notion', { method: 'GET', url: `${base}/slow?code=secret-code&state=s3cret` })
      .catch((e: unknown) => e);
    expect((err as Error).cause).toBeInstanceOf(Error);
    expect(((err as Error).cause as Error).message).toBe(`GET ${base}/slow failed: timeout`);
    expect(everythingVisible(err)).not.toMatch(/secret-code|s3cret/);
  });

  it('hides a secret carried in the path (a bot token) when told so', async () => {
    const err = await http
      .request('telegram', {
        method: 'GET',
        url: `${base}/slow/bot123456:SECRET-TOKEN/getMe`,
        secretInPath: true,
      })
      .catch((e: unknown) => e);
    expect(everythingVisible(err)).not.toContain('SECRET-TOKEN');
  });

  it('keeps Retry-After from a 429', async () => {
    const err = await http
      .request('notion', { method: 'GET', url: `${base}/429` })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ retryAfterSeconds: 7 });
  });

  it('without Retry-After, reads X-RateLimit-Reset as seconds or as a Unix time', async () => {
    const seconds = await http
      .request('calendly', { method: 'GET', url: `${base}/429-reset` })
      .catch((e: unknown) => e);
    expect(seconds).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryAfterSeconds: 42 });
    const epoch = (await http
      .request('github', { method: 'GET', url: `${base}/429-epoch` })
      .catch((e: unknown) => e)) as { retryAfterSeconds?: number };
    expect(epoch.retryAfterSeconds).toBeGreaterThan(80);
    expect(epoch.retryAfterSeconds).toBeLessThanOrEqual(91);
  });

  it('rateLimitResetSeconds: a wait, a Unix time, or nothing usable', () => {
    const now = Date.UTC(2026, 11, 2, 12, 0, 0);
    expect(rateLimitResetSeconds('42', now)).toBe(42);
    expect(rateLimitResetSeconds('1.2', now)).toBe(2);
    expect(rateLimitResetSeconds(String(now / 1000 + 90.5), now)).toBe(91);
    // A reset time already past, zero, negative, junk or absent: no wait to give.
    for (const value of [String(now / 1000 - 5), '0', '-3', 'soon', '', null, undefined]) {
      expect(rateLimitResetSeconds(value, now)).toBeNull();
    }
  });

  it('a refused connection is PROVIDER_UNAVAILABLE too', async () => {
    const err = await http
      .request('notion', { method: 'GET', url: 'http://127.0.0.1:1/x' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      message: expect.stringMatching(/could not be reached/),
    });
  });
});
