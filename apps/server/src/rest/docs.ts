import type { FastifyInstance } from 'fastify';

/** Where the Scalar bundle is served (the plugin's own route for it). */
const SCALAR_PREFIX = '/docs/scalar';
const SCALAR_SCRIPT = `${SCALAR_PREFIX}/js/scalar.js`;

/**
 * Scalar's configuration (https://github.com/scalar/scalar/blob/main/documentation/configuration.md):
 * no web fonts from fonts.scalar.com, no telemetry, no "open in Scalar client" button, no
 * developer toolbar (links to scalar.com), no agent or MCP panels — the page makes no request to
 * anyone but this server.
 */
const CONFIGURATION = {
  url: '/v1/openapi.json',
  withDefaultFonts: false,
  telemetry: false,
  hideClientButton: true,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  mcp: { disabled: true },
};

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/**
 * The page has no inline script, so the Connect UI's strict CSP (security.ts, `script-src
 * 'self'`) applies unchanged: Scalar's standalone bundle reads its configuration from the
 * `#api-reference` data block and mounts itself there.
 */
const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Plugboard API reference</title>
  </head>
  <body>
    <script id="api-reference" type="application/json" data-configuration="${escapeAttribute(JSON.stringify(CONFIGURATION))}"></script>
    <script src="${SCALAR_SCRIPT}"></script>
  </body>
</html>
`;

/**
 * Scalar's standalone bundle (a ~5 MB string inside @scalar/fastify-api-reference, ~35 MB of RSS
 * once loaded), taken from the plugin on the first request for it: the plugin is registered on a
 * throwaway Fastify instance for its own script route (its page, an inline script, is not used),
 * so a server whose docs nobody opens never loads it.
 */
let scalarScript: Promise<string> | null = null;
async function loadScalarScript(): Promise<string> {
  const [{ default: scalarApiReference }, { default: Fastify }] = await Promise.all([
    import('@scalar/fastify-api-reference'),
    import('fastify'),
  ]);
  const docs = Fastify({ logger: false });
  try {
    await docs.register(scalarApiReference, {
      routePrefix: SCALAR_PREFIX,
      configuration: { url: CONFIGURATION.url },
    });
    const res = await docs.inject({ method: 'GET', url: SCALAR_SCRIPT });
    if (res.statusCode !== 200) throw new Error(`Scalar's script route answered ${res.statusCode}`);
    return res.body;
  } finally {
    await docs.close();
  }
}

/**
 * `GET /docs`: an interactive reference of `/v1` (Scalar, bundled in
 * @scalar/fastify-api-reference and served from here, nothing from a CDN).
 */
export async function registerDocsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/docs', (_req, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(PAGE),
  );
  app.get(SCALAR_SCRIPT, { logLevel: 'warn' }, async (_req, reply) => {
    scalarScript ??= loadScalarScript().catch((err: unknown) => {
      scalarScript = null; // a failed load may work next time
      throw err;
    });
    return reply
      .header('content-type', 'application/javascript; charset=utf-8')
      .send(await scalarScript);
  });
}
