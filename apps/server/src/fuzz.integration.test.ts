import { appRouter } from '@plugboard/api';
import { createPlugboardClient } from '@plugboard/client';
import { newId } from '@plugboard/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  BrowserAgent,
  databaseFingerprint,
  fuzzSeed,
  hostileInput,
  hostileString,
  leakIn,
  mutatedInput,
  percentEncode,
  startTestStack,
  testDatabases,
  toJson,
  type TestStack,
} from './testing';

/**
 * The standing bad-input suite (issue 7): arbitrary and hostile input to every `server.*` and
 * `connect.*` procedure and to the HTTP routes, over real HTTP to the real server, on SQLite and
 * PostgreSQL. Whatever arrives, the server answers below 500, says nothing of its insides (stack,
 * SQL, paths), and a refused request leaves every table as it was. Seeded (FUZZ_SEED overrides)
 * and bounded so it runs in seconds.
 */
const databases = testDatabases(inject('postgresUrl'));
const seed = fuzzSeed(process.env.FUZZ_SEED);
const RUNS = 25;
/** Generous: a property runs hundreds of requests, and the machine may be shared. */
const TIMEOUT = { timeout: 180_000 };

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
).map(([path, p]) => ({ path, type: p._def.type }));

interface Answer {
  status: number;
  text: string;
  location: string | null;
}

describe.each(databases)('fuzzing on %s', (_db, database) => {
  const apiKey = newId('pk_');
  let stack: TestStack;
  let browser: BrowserAgent;

  beforeAll(async () => {
    const db = await database();
    stack = await startTestStack({
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey, RATE_LIMIT: 'off' },
      ...(db ? { database: db } : {}),
    });
    // A session and a connection exist, so connect.* gets past auth and lookups find rows.
    const link = await createPlugboardClient({
      url: stack.url,
      apiKey,
    }).connectTokens.create.mutate({ externalUserId: 'fuzz-user' });
    browser = new BrowserAgent(stack.url);
    await browser.navigate(link.connectLinkUrl);
    expect((await browser.connect(stack.url, 'notion')).status).toBe('completed');
  });
  afterAll(async () => stack?.close());

  /** Sends with the API key and the end user's session cookie, so both routers parse input. */
  async function send(url: string, init: RequestInit = {}): Promise<Answer> {
    const res = await browser.fetch(url, {
      signal: AbortSignal.timeout(5000),
      ...init,
      headers: {
        authorization: `Bearer ${apiKey}`,
        origin: stack.url,
        ...(init.headers as Record<string, string>),
      },
    });
    const isStream = (res.headers.get('content-type') ?? '').includes('text/event-stream');
    // A subscription that got past validation streams; its first bytes are enough.
    const text = isStream ? await firstChunk(res) : await res.text();
    return { status: res.status, text, location: res.headers.get('location') };
  }

  async function firstChunk(res: Response): Promise<string> {
    const reader = res.body!.getReader();
    const chunk = await Promise.race([
      reader.read(),
      new Promise<{ value: undefined }>((r) => setTimeout(() => r({ value: undefined }), 500)),
    ]);
    await reader.cancel().catch(() => undefined);
    return new TextDecoder().decode(chunk.value ?? new Uint8Array());
  }

  /** Sends one request and holds the server to the rules; `refused` says what counts as no. */
  async function check(request: () => Promise<Answer>, refused: (a: Answer) => boolean) {
    const before = await databaseFingerprint(stack.orm);
    const answer = await request();
    expect(answer.status, answer.text.slice(0, 300)).toBeLessThan(500);
    expect(leakIn(answer.text), answer.text.slice(0, 300)).toBeNull();
    expect(leakIn(decodeURIComponent(answer.location ?? ''))).toBeNull();
    if (refused(answer)) expect(await databaseFingerprint(stack.orm)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }

  /** A tRPC answer (single or batch) with no successful result in it. */
  const trpcRefused = (a: Answer) => {
    if (a.status >= 400) return true;
    try {
      const body = JSON.parse(a.text) as unknown;
      const items = Array.isArray(body) ? body : [body];
      return items.every((i) => !(i && typeof i === 'object' && 'result' in i));
    } catch {
      return !a.text.includes('"result"');
    }
  };
  const redirectedWithError = (a: Answer) =>
    a.status >= 400 || (a.location ?? '').includes('error=');

  it('every procedure, called with hostile input, refuses cleanly', TIMEOUT, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...procedures),
        hostileInput,
        fc.boolean(),
        async (proc, input, rightMethod) => {
          const asQuery = (proc.type === 'mutation') !== rightMethod;
          const url = `${stack.url}/trpc/${proc.path}`;
          await check(
            () =>
              asQuery
                ? send(`${url}?input=${encodeURIComponent(toJson(input))}`)
                : send(url, {
                    method: 'POST',
                    headers: { 'content-type': 'application/json' },
                    body: toJson(input),
                  }),
            trpcRefused,
          );
        },
      ),
      { seed, numRuns: RUNS * 4 },
    );
  });

  it(
    'every procedure, with one field of a valid input made hostile, refuses cleanly',
    TIMEOUT,
    async () => {
      // Each procedure gets its own runs, so every field of every procedure is reached.
      for (const proc of procedures) {
        await fc.assert(
          fc.asyncProperty(mutatedInput(proc.path), async (input) => {
            const url = `${stack.url}/trpc/${proc.path}`;
            await check(
              () =>
                proc.type === 'mutation'
                  ? send(url, {
                      method: 'POST',
                      headers: { 'content-type': 'application/json' },
                      body: toJson(input),
                    })
                  : send(`${url}?input=${encodeURIComponent(toJson(input))}`),
              trpcRefused,
            );
          }),
          { seed, numRuns: RUNS },
        );
      }
    },
  );

  it('batches of procedures refuse cleanly', TIMEOUT, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...procedures), { minLength: 1, maxLength: 12 }),
        fc.array(hostileInput, { minLength: 1, maxLength: 12 }),
        async (procs, inputs) => {
          const body = Object.fromEntries(procs.map((_, i) => [i, inputs[i % inputs.length]]));
          const paths = procs.map((p) => p.path).join(',');
          const allQueries = procs.every((p) => p.type !== 'mutation');
          await check(
            () =>
              allQueries
                ? send(
                    `${stack.url}/trpc/${paths}?batch=1&input=${encodeURIComponent(toJson(body))}`,
                  )
                : send(`${stack.url}/trpc/${paths}?batch=1`, {
                    method: 'POST',
                    headers: { 'content-type': 'application/json' },
                    body: toJson(body),
                  }),
            trpcRefused,
          );
        },
      ),
      { seed, numRuns: RUNS * 2 },
    );
  });

  it(
    'raw bodies: broken JSON, prototype keys, odd content types, deep nesting',
    TIMEOUT,
    async () => {
      const bodies = fc.oneof(
        hostileString,
        fc.constantFrom(
          '{"__proto__":{"polluted":1},"externalUserId":"u"}',
          '{"constructor":{"prototype":{"polluted":1}},"externalUserId":"u"}',
          '{"0":{"__proto__":{"polluted":1}}}',
          '{',
          '[',
          'null',
          '1e999999',
          '"\\ud800"',
          '{"externalUserId":"\\u0000"}',
          '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
        ),
        fc.nat({ max: 20_000 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...procedures.filter((p) => p.type === 'mutation')),
          bodies,
          fc.constantFrom(
            'application/json',
            'text/plain',
            'application/x-www-form-urlencoded',
            '',
          ),
          fc.boolean(),
          async (proc, body, type, batch) => {
            await check(
              () =>
                send(`${stack.url}/trpc/${proc.path}${batch ? '?batch=1' : ''}`, {
                  method: 'POST',
                  headers: type ? { 'content-type': type } : {},
                  body,
                }),
              trpcRefused,
            );
          },
        ),
        { seed, numRuns: RUNS * 2 },
      );
    },
  );

  it('the HTTP routes refuse hostile paths and query strings cleanly', TIMEOUT, async () => {
    const query = fc.dictionary(
      fc.constantFrom(
        'token',
        'state',
        'code',
        'error',
        'error_description',
        'shop',
        'hmac',
        'host',
        'timestamp',
        'attempt',
        '__proto__',
      ),
      fc.oneof(hostileString, fc.array(hostileString, { maxLength: 3 })),
      { maxKeys: 6 },
    );
    const toQuery = (q: Record<string, string | string[]>) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(q)) for (const one of [v].flat()) params.append(k, one);
      return params.toString();
    };
    const rawQuery = fc.constantFrom(
      'token=%00',
      'state=%ZZ&code=%C0%80',
      'token=%ED%A0%80',
      '%',
      '&&==',
    );
    const routes = fc.oneof(
      fc.constant('/connect'),
      fc.constant('/oauth/launch'),
      fc.constant('/healthz'),
      fc
        .oneof(fc.constantFrom('notion', 'shopify', 'telegram', 'nope'), hostileString)
        .map((id) => `/oauth/callback/${percentEncode(id)}`),
      fc
        .constantFrom('%00', '%C0%80', '%ED%A0%80', '%ZZ', '%', '..%2F..%2F')
        .map((raw) => `/oauth/callback/${raw}`),
    );
    await fc.assert(
      fc.asyncProperty(routes, fc.oneof(query.map(toQuery), rawQuery), async (route, q) => {
        const url = `${stack.url}${route}?${q}`;
        await check(
          () => send(url.length > 60_000 ? url.slice(0, 60_000) : url),
          (a) => route !== '/healthz' && redirectedWithError(a),
        );
      }),
      { seed, numRuns: RUNS * 2 },
    );
  });
});
