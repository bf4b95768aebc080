import { createPlugboardClient } from '@plugboard/client';
import { newId } from '@plugboard/core';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserAgent, startTestStack, type TestStack } from '../testing';

/**
 * Traces over real OTLP/HTTP: the server's exporter posts to a plain HTTP server in this process
 * that decodes the OTLP JSON it receives
 * (https://opentelemetry.io/docs/specs/otlp/#otlphttp-request). One scripted Notion connection,
 * then the spans: one per request, the provider's token exchange and the SQL below the callback's
 * request span, and no code, state, token or secret anywhere in what was sent.
 */

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: OtlpValue }[];
}
interface OtlpRequest {
  resourceSpans: {
    resource: { attributes: { key: string; value: OtlpValue }[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

const SERVER = 2;
const CLIENT = 3;

async function startOtlpReceiver() {
  const bodies: string[] = [];
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      bodies.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`,
    bodies,
    paths,
    requests: () => bodies.map((b) => JSON.parse(b) as OtlpRequest),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const attrs = (span: OtlpSpan): Record<string, string | number | boolean> =>
  Object.fromEntries(
    (span.attributes ?? []).map(({ key, value }) => [
      key,
      value.stringValue ??
        (value.intValue !== undefined ? Number(value.intValue) : undefined) ??
        value.boolValue ??
        value.doubleValue ??
        '',
    ]),
  );

describe('OpenTelemetry traces of a Notion connection', () => {
  const apiKey = newId('pk_');
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let stack: TestStack;
  const secrets: string[] = [];

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    stack = await startTestStack({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=collector%20secret',
        PLUGBOARD_BOOTSTRAP_API_KEY: apiKey,
      },
    });
    const agent = new BrowserAgent(stack.url);
    await agent.demoLogin(stack.url);
    const api = agent.trpc(stack.url);
    const started = await api.connect.oauth.start.mutate({ providerId: 'notion' });
    const consent = await agent.navigate(started.authorizationUrl);
    const { res, action } = await agent.submitConsent(
      consent.url,
      await consent.res.text(),
      'allow',
    );
    const callback = new URL(res.headers.get('location')!, action);
    expect(callback.pathname).toBe('/oauth/callback/notion');
    secrets.push(callback.searchParams.get('code')!, callback.searchParams.get('state')!);
    await agent.navigate(callback.toString());
    const attempt = await api.connect.attempts.get.query({ attemptId: started.attemptId });
    expect(attempt.status).toBe('completed');
    const plugboard = createPlugboardClient({ url: stack.url, apiKey });
    const creds = await plugboard.connections.credentials.mutate({
      connectionId: attempt.connection!.id as `conn_${string}`,
    });
    secrets.push(creds.accessToken, apiKey, stack.env.integrations.notion.clientSecret);
    // Closing flushes the batch of spans to the receiver.
    await stack.close();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  const spans = () =>
    receiver
      .requests()
      .flatMap((r) => r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans)));

  it('posts OTLP JSON to <endpoint>/v1/traces with the configured headers, as service plugboard', () => {
    expect(receiver.paths.length).toBeGreaterThan(0);
    for (const p of receiver.paths) expect(p).toBe('POST /v1/traces application/json');
    const resource = receiver.requests()[0]!.resourceSpans[0]!.resource.attributes;
    expect(resource.find((a) => a.key === 'service.name')?.value.stringValue).toBe('plugboard');
  });

  it('has one request span per request, named by route, with the path but no query', () => {
    const requests = spans().filter((s) => attrs(s)['fastify.root'] === '@fastify/otel');
    const callbacks = requests.filter((s) => s.name === 'GET /oauth/callback/:providerId');
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]!.kind).toBe(SERVER);
    expect(attrs(callbacks[0]!)).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/oauth/callback/:providerId',
      'url.path': '/oauth/callback/notion',
      'http.response.status_code': 303,
    });
    // Demo login, start, callback, the result page (no web app built here: not found),
    // attempts.get, credentials: six requests, six spans. Credentials has its own lean route
    // (routes/trpc-lean.ts), so its span names that fixed path.
    expect(requests.map((s) => s.name).sort()).toEqual(
      [
        'GET /oauth/callback/:providerId',
        'GET unmatched',
        'GET /trpc/:path',
        'POST /dev/session',
        'POST /trpc/:path',
        'POST /trpc/server.connections.credentials',
      ].sort(),
    );
    for (const r of requests) expect(String(attrs(r)['url.path'])).not.toContain('?');
  });

  it('puts the token exchange, the identity call and SQL under the callback request span', () => {
    const all = spans();
    const byId = new Map(all.map((s) => [s.spanId, s]));
    const callback = all.find((s) => s.name === 'GET /oauth/callback/:providerId')!;
    const under = (s: OtlpSpan) => {
      for (let p = s.parentSpanId; p; p = byId.get(p)?.parentSpanId) {
        if (p === callback.spanId) return true;
      }
      return false;
    };
    const exchange = all.filter((s) => s.name === 'provider token_exchange');
    expect(exchange).toHaveLength(1);
    expect(exchange[0]!.kind).toBe(CLIENT);
    expect(exchange[0]!.traceId).toBe(callback.traceId);
    expect(under(exchange[0]!)).toBe(true);
    expect(attrs(exchange[0]!)).toEqual({
      'plugboard.provider_id': 'notion',
      'plugboard.provider_operation': 'token_exchange',
      'http.request.method': 'POST',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(stack.mockUrl).port),
      'url.path': '/notion/v1/oauth/token',
      'http.response.status_code': 200,
    });
    const identity = all.find(
      (s) => s.name === 'provider api' && attrs(s)['url.path'] === '/notion/v1/users/me',
    );
    expect(identity && under(identity)).toBe(true);
    const sql = all.filter((s) => s.name.startsWith('db ') && under(s));
    expect(sql.map((s) => s.name)).toEqual(
      // The attempt is found and consumed by one UPDATE … RETURNING (oauth-attempts.ts).
      expect.arrayContaining(['db UPDATE auth_attempts', 'db INSERT connections']),
    );
    for (const s of sql) {
      expect(s.kind).toBe(CLIENT);
      expect(attrs(s)['db.system.name']).toBe('sqlite');
      expect(Object.keys(attrs(s)).sort()).toEqual(
        expect.arrayContaining(['db.operation.name', 'db.system.name']),
      );
    }
  });

  it('sends no code, state, token, key or secret, and only allow-listed attributes', () => {
    const raw = receiver.bodies.join('\n');
    expect(secrets.every((s) => s.length >= 8)).toBe(true);
    for (const secret of secrets) expect(raw).not.toContain(secret);
    expect(raw).not.toMatch(/Bearer |ctok_|pb_session|collector secret/);
    for (const s of spans()) {
      for (const key of Object.keys(attrs(s))) {
        expect(key).toMatch(
          /^(plugboard\.|http\.(request\.method|response\.status_code|route)$|url\.path$|server\.(address|port)$|db\.(system|operation|collection)\.name$|error\.type$|fastify\.(root|type)$|hook\.(name|callback\.name)$)/,
        );
      }
    }
  });
});
