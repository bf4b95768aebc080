import { createPlugboardClient, plugboardErrorCode } from '@plugboard/client';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { renderPage } from './page';

/**
 * The example host's backend: what a customer's backend does with Plugboard, and nothing else.
 * `POST /api/connect-token` mints a connect token for the signed-in user that only this app's
 * origin may use; `GET /api/notion/me` reads that user's fresh Notion credentials from Plugboard
 * and calls Notion's API with them (https://developers.notion.com/reference/get-self).
 */
export interface ExampleHostOptions {
  /** Where this app is opened (its origin is what connect tokens allow). */
  publicUrl: string;
  plugboardUrl: string;
  client: { clientId: string; clientSecret: string };
  notionApiUrl: string;
  /** The signed-in user; a real app takes it from its own session. */
  user?: { id: string; name: string };
}

export interface ExampleHost {
  server: Server;
  listen(port: number, host: string): Promise<void>;
  close(): Promise<void>;
}

const DEMO_USER = { id: 'example-host-user', name: 'Ada (example host)' };
/** https://developers.notion.com/reference/versioning */
const NOTION_VERSION = '2022-06-28';

export function createExampleHost(opts: ExampleHostOptions): ExampleHost {
  const origin = new URL(opts.publicUrl).origin;
  const user = opts.user ?? DEMO_USER;
  const plugboard = createPlugboardClient({
    url: opts.plugboardUrl,
    clientId: opts.client.clientId,
    clientSecret: opts.client.clientSecret,
  });
  const page = renderPage(opts.plugboardUrl);

  async function mintConnectToken(res: ServerResponse) {
    const { token } = await plugboard.connectTokens.create.mutate({
      externalUserId: user.id,
      allowedOrigins: [origin], // only this app's page may open or frame it
      endUserLabel: user.name,
    });
    send(res, 200, token, 'text/plain; charset=utf-8');
  }

  async function callNotion(res: ServerResponse, connectionId: string | null) {
    if (!connectionId) return json(res, 400, { message: 'connectionId is missing.' });
    // Only the signed-in user's own connection: Plugboard's API sees every user's.
    const connection = await plugboard.connections.get
      .query({ connectionId: connectionId as never })
      .catch((err: unknown) => {
        const code = plugboardErrorCode(err);
        if (code === 'NOT_FOUND' || code === 'VALIDATION_FAILED') return null;
        throw err;
      });
    if (
      !connection ||
      connection.externalUserId !== user.id ||
      connection.providerId !== 'notion'
    ) {
      return json(res, 404, { message: 'You have no Notion connection with that id.' });
    }
    const credentials = await plugboard.connections.credentials.mutate({
      connectionId: connection.id,
    });
    const notion = await fetch(`${opts.notionApiUrl}/v1/users/me`, {
      headers: {
        authorization: `Bearer ${credentials.accessToken}`,
        'notion-version': NOTION_VERSION,
      },
      signal: AbortSignal.timeout(10_000),
    });
    const body: unknown = await notion.json().catch(() => null);
    if (!notion.ok) {
      return json(res, 502, { message: `Notion answered HTTP ${notion.status}.` });
    }
    json(res, 200, body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', origin);
    // Opened under another host name (localhost vs 127.0.0.1): go to the one tokens allow.
    if (req.headers.host !== new URL(origin).host && req.method === 'GET') {
      res.writeHead(308, { location: new URL(url.pathname + url.search, origin).toString() });
      return res.end();
    }
    if (req.method === 'GET' && url.pathname === '/') {
      return send(res, 200, page, 'text/html; charset=utf-8');
    }
    if (req.method === 'POST' && url.pathname === '/api/connect-token') {
      // A page on another site must not mint tokens for this app's user (CSRF).
      if (req.headers.origin !== origin) return json(res, 403, { message: 'Cross-site request.' });
      return mintConnectToken(res);
    }
    if (req.method === 'GET' && url.pathname === '/api/notion/me') {
      return callNotion(res, url.searchParams.get('connectionId'));
    }
    json(res, 404, { message: 'Not found.' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // Never the error itself: it could hold a provider's answer.
      const code = plugboardErrorCode(err) ?? (err as Error).name;
      process.stderr.write(
        `example host: ${req.method} ${req.url?.split('?')[0]} failed (${code})\n`,
      );
      if (!res.headersSent)
        json(res, 502, { message: `The call to Plugboard or Notion failed (${code}).` });
      else res.end();
    });
  });

  return {
    server,
    listen: (port, host) =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, body: string, type: string) {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown) {
  send(res, status, JSON.stringify(body), 'application/json; charset=utf-8');
}
