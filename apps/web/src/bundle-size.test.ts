import { describe, expect, it } from 'vitest';
import { buildAndMeasure, INITIAL_JS_BUDGET_BYTES, kb, type InitialJs } from '../bundle-size';

/**
 * The first screen's JavaScript (entry chunk + its static imports, gzip) stays within issue 13's
 * 100 KB budget (bundle-size.ts), and what only later screens need stays out of it. A production
 * build per run (a few seconds).
 */
let measured: InitialJs;
const inInitial = (pattern: RegExp) => measured.sources.filter((source) => pattern.test(source));

describe('web bundle', () => {
  it(
    `keeps the initial JS within issue 13's ${kb(INITIAL_JS_BUDGET_BYTES)} gzip budget ` +
      `(KB = 1,000 bytes, as Vite prints)`,
    { timeout: 120_000 },
    async () => {
      measured = await buildAndMeasure();
      const report =
        `${measured.gzipBytes} bytes: ` +
        measured.chunks.map((c) => `${c.file} ${kb(c.gzipBytes)}`).join(', ');
      expect(measured.gzipBytes, report).toBeLessThanOrEqual(INITIAL_JS_BUDGET_BYTES);
      // The build did find the app: React and the connections page are in it.
      expect(inInitial(/\/react-dom\//).length).toBeGreaterThan(0);
      expect(inInitial(/apps\/web\/src\/pages\/connections-page\.tsx$/)).toHaveLength(1);
    },
  );

  it('leaves zod, Telegram, the QR code, the result and sign-in screens, catalog parts and the SSE link to lazy chunks, and the WebSocket client out', () => {
    expect(measured, 'the size test builds first').toBeDefined();
    expect({
      zod: inInitial(/\/node_modules\/zod\//),
      libphonenumber: inInitial(/\/node_modules\/libphonenumber-js\//),
      qrcode: inInitial(/\/node_modules\/qrcode\//),
      telegram: inInitial(/apps\/web\/src\/components\/telegram\//),
      disconnectDialog: inInitial(/apps\/web\/src\/components\/disconnect-dialog\.tsx$/),
      resultPage: inInitial(/apps\/web\/src\/pages\/result-page\.tsx$/),
      signInPanel: inInitial(/apps\/web\/src\/components\/sign-in-panel\.tsx$/),
      // Catalog parts besides the first screen's (src/i18n/i18n.ts).
      catalogParts: inInitial(/apps\/web\/src\/locales\/\w+\//),
      // The entry's @trpc/client module loses httpSubscriptionLink's SSE parsing.
      sseConsumer: inInitial(/@trpc\/server\/dist\/resolveResponse/),
      // tRPC's WebSocket client (vite.config.ts, `trpcWsConnectionPure`): never used here.
      wsClient: inInitial(/@trpc\/client\/dist\/wsLink-/),
    }).toEqual({
      zod: [],
      libphonenumber: [],
      qrcode: [],
      telegram: [],
      disconnectDialog: [],
      resultPage: [],
      signInPanel: [],
      catalogParts: [],
      sseConsumer: [],
      wsClient: [],
    });
  });
});
