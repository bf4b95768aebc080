import { createPlugboardClient } from '@plugboard/client';
import { freePort } from '@plugboard/server/testing';
import { createServer, type Server } from 'node:http';

/**
 * A customer's app for the embed browser tests: its own server on `http://localhost:<port>` (a
 * different origin and site from Plugboard's 127.0.0.1), whose page loads the SDK from
 * Plugboard's `/sdk/connect.js` and whose `/token` mints connect tokens with the API key, as a
 * real host backend does. `mintFor` lets a test mint tokens for another host's origin (the
 * "token for A used from B" case).
 */
export interface HostApp {
  origin: string;
  close(): Promise<void>;
}

export interface TokenIntent {
  providerId?: string;
  successRedirectUrl?: string;
  errorRedirectUrl?: string;
  endUserLabel?: string;
  reconnectConnectionId?: string;
}

export async function startHostApp(opts: {
  plugboardUrl: string;
  apiKey: string;
  externalUserId: string;
  /** The origins the minted tokens allow; default: this host's own. */
  mintFor?: string[];
  intent?: TokenIntent;
  /** A fixed port (a redirect URL on this host must be known before it starts). */
  port?: number;
}): Promise<HostApp> {
  const port = opts.port ?? (await freePort());
  const origin = `http://localhost:${port}`;
  const plugboard = createPlugboardClient({ url: opts.plugboardUrl, apiKey: opts.apiKey });
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Acme CRM</title></head>
<body>
<h1>Acme CRM</h1>
<button id="connect" type="button">Connect an account</button>
<p id="log" role="log"></p>
<script type="module">
  import { createPlugboardConnect } from '${opts.plugboardUrl}/sdk/connect.js';
  const pb = createPlugboardConnect({
    tokenCallback: async () => (await fetch('/token', { method: 'POST' })).text(),
  });
  window.events = [];
  window.messages = [];
  // Every message this page receives, from anyone: a non-allowed host must see none.
  addEventListener('message', (e) => window.messages.push({ origin: e.origin, data: e.data }));
  const log = (entry) => {
    window.events.push(entry);
    document.getElementById('log').textContent = JSON.stringify(window.events);
  };
  // A test may set them before the page loads (addInitScript), for ?autoopen.
  window.connectOptions = window.connectOptions ?? {};
  document.getElementById('connect').addEventListener('click', () => {
    window.handle = pb.open({
      ...window.connectOptions,
      onSuccess: (e) => log({ type: 'success', ...e }),
      onError: (e) => log({ type: 'error', ...e }),
      onClose: () => log({ type: 'close' }),
    });
  });
  window.sdkReady = true;
  // As a page that opens the connect window on load, with no click (a popup blocker's case).
  if (location.search === '?autoopen') document.getElementById('connect').click();
</script>
</body></html>`;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'POST' && url.pathname === '/token') {
      plugboard.connectTokens.create
        .mutate({
          externalUserId: opts.externalUserId,
          allowedOrigins: opts.mintFor ?? [origin],
          ...(opts.intent as object),
        } as never)
        .then(
          ({ token }) => res.writeHead(200, { 'content-type': 'text/plain' }).end(token),
          () => res.writeHead(500).end(),
        );
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        url.pathname === '/'
          ? page
          : `<!doctype html><title>${url.pathname}</title><h1>Back in Acme CRM</h1>`,
      );
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
