import type { FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SDK_FILE } from '../paths';

/** The browser SDK's build (`pnpm --filter @plugboard/connect build`, run by `pnpm start`). */
export function defaultSdkFile(): string {
  return SDK_FILE;
}

/**
 * `GET /sdk/connect.js`: `@plugboard/connect` as an ES module, so a page without a bundler can
 * `import { createPlugboardConnect } from 'https://connect.example.com/sdk/connect.js'`. Module
 * scripts are fetched in CORS mode, so it is readable from any origin (it is public code) and
 * `Cross-Origin-Resource-Policy: cross-origin`. Cached for a day and revalidated by a strong
 * ETag of its content, so a new build reaches pages within that day, and at once on reload.
 */
export async function registerSdkRoute(
  app: FastifyInstance,
  opts: { sdkFile?: string } = {},
): Promise<void> {
  const file = opts.sdkFile ?? defaultSdkFile();
  let cached: { body: Buffer; etag: string } | null = null;
  const load = () => {
    if (cached) return cached;
    try {
      const body = readFileSync(file);
      cached = { body, etag: `"${createHash('sha256').update(body).digest('base64url')}"` };
      return cached;
    } catch {
      return null;
    }
  };

  app.get('/sdk/connect.js', async (req, reply) => {
    const sdk = load();
    reply
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin');
    if (!sdk) {
      app.log.error('the browser SDK is not built: run `pnpm --filter @plugboard/connect build`');
      return reply
        .code(404)
        .header('cache-control', 'no-store')
        .send({
          error: { code: 'NOT_FOUND', message: 'The browser SDK is not built on this server.' },
        });
    }
    reply
      .header('cache-control', 'public, max-age=86400')
      .header('etag', sdk.etag)
      .header('vary', 'accept-encoding');
    if (req.headers['if-none-match'] === sdk.etag) return reply.code(304).send();
    return reply.type('text/javascript; charset=utf-8').send(sdk.body);
  });
}
