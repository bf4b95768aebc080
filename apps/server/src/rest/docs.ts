import scalarApiReference from '@scalar/fastify-api-reference';
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
 * `GET /docs`: an interactive reference of `/v1` (Scalar, bundled in
 * @scalar/fastify-api-reference and served from here, nothing from a CDN). The plugin is
 * registered only for its script route; its own page (an inline script) is not served.
 */
export async function registerDocsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/docs', (_req, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(PAGE),
  );
  await app.register(scalarApiReference, {
    routePrefix: SCALAR_PREFIX,
    configuration: { url: CONFIGURATION.url },
    logLevel: 'warn',
    hooks: {
      onRequest: (req, reply, done) => {
        if (req.url.split('?')[0] === SCALAR_SCRIPT) return done();
        reply.callNotFound();
      },
    },
  });
}
