import { createServer, type Server } from 'node:http';
import { BrowserAgent } from './browser-agent';

/**
 * Plain HTTP clients for the REST twin tests: `/v1` as a Python or Go backend calls it, and
 * `/trpc` without batching, so both answers (status and body) can be compared one to one.
 * Not a test file itself.
 */
export interface HttpAnswer {
  status: number;
  body: unknown;
  headers: Headers;
}

export interface RestRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH' | 'HEAD' | 'OPTIONS';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

async function answer(res: Response): Promise<HttpAnswer> {
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

export async function rest(
  baseUrl: string,
  key: string | undefined,
  req: RestRequest,
): Promise<HttpAnswer> {
  const url = new URL(`/v1${req.path}`, baseUrl);
  for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { ...req.headers };
  if (key) headers.authorization = `Bearer ${key}`;
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  return answer(
    await fetch(url, {
      method: req.method,
      headers,
      ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
    }),
  );
}

export interface TrpcRequest {
  procedure: string;
  type: 'query' | 'mutation';
  input?: unknown;
}

/** A tRPC call over HTTP; an error answer is put in the REST shape to compare with it. */
export async function trpc(
  baseUrl: string,
  key: string | undefined,
  req: TrpcRequest,
): Promise<HttpAnswer> {
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  const url = new URL(`/trpc/${req.procedure}`, baseUrl);
  let res: Response;
  if (req.type === 'query') {
    if (req.input !== undefined) url.searchParams.set('input', JSON.stringify(req.input));
    res = await fetch(url, { headers });
  } else {
    res = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      ...(req.input !== undefined ? { body: JSON.stringify(req.input) } : {}),
    });
  }
  const got = await answer(res);
  const body = got.body as {
    result?: { data: unknown };
    error?: { message: string; data: { code: string; issues?: unknown } };
  };
  if (body.error) {
    const { code, issues } = body.error.data;
    return {
      ...got,
      body: { error: { code, message: body.error.message, ...(issues ? { issues } : {}) } },
    };
  }
  return { ...got, body: body.result?.data ?? null };
}

/** The host app's page a headless OAuth browser returns to. */
export async function startHostPage(): Promise<{ url: string; close(): void }> {
  const host: Server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/plain' }).end('host app'),
  );
  await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
  const addr = host.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { url: `http://127.0.0.1:${port}/done`, close: () => host.close() };
}

/** Connects Notion for an end user through REST headless OAuth; the consent is pressed over HTTP. */
export async function connectNotionOverRest(
  baseUrl: string,
  key: string,
  externalUserId: string,
  redirectUrl: string,
): Promise<string> {
  const started = await rest(baseUrl, key, {
    method: 'POST',
    path: '/oauth/attempts',
    body: { providerId: 'notion', externalUserId, redirectUrl },
  });
  if (started.status !== 201) throw new Error(`start: ${JSON.stringify(started.body)}`);
  const { authorizationUrl, attemptId } = started.body as {
    authorizationUrl: string;
    attemptId: string;
  };
  const browser = new BrowserAgent(baseUrl);
  const consent = await browser.navigate(authorizationUrl);
  await browser.decide(consent.url, await consent.res.text(), 'allow');
  const done = await rest(baseUrl, key, {
    method: 'POST',
    path: `/oauth/attempts/${attemptId}/complete`,
  });
  const { connectionId } = done.body as { connectionId: string | null };
  if (!connectionId) throw new Error(`complete: ${JSON.stringify(done.body)}`);
  return connectionId;
}
