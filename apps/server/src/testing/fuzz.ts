import type { Orm } from '@plugboard/db';
import fc from 'fast-check';
import { createHash } from 'node:crypto';

/**
 * Building blocks of the fuzz suite (fuzz.integration.test.ts): hostile values, a fingerprint of
 * every table, and the check that an answer gives nothing of the server's insides away.
 */

/** Fixed unless FUZZ_SEED says otherwise, so CI is deterministic and a failure replays. */
export function fuzzSeed(fromEnv: string | undefined): number {
  const n = Number(fromEnv);
  return Number.isSafeInteger(n) ? n : 20261201;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const idSuffix = fc.string({
  unit: fc.constantFrom(...ID_ALPHABET.split('')),
  minLength: 16,
  maxLength: 64,
});

/** Ids with our prefixes: pass the schemas and reach the database lookups. */
const plausibleId = fc
  .tuple(fc.constantFrom('conn_', 'att_', 'ctok_', 'pk_', 'tgf_', 'whe_'), idSuffix)
  .map(([p, s]) => p + s);

const controlCharacters = fc.oneof(
  fc.constant('\u0000'), // the one that broke both databases (issue 7)
  fc
    .array(
      fc.oneof(
        // NUL, newline, tab and lone surrogates often; any other C0/DEL/C1 control too.
        fc.constantFrom(0x00, 0x0a, 0x09, 0xd800, 0xdfff),
        fc.integer({ min: 0, max: 0x9f }).filter((c) => c < 0x20 || c >= 0x7f),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((codes) => String.fromCharCode(...codes)),
);

/** A short string with control characters somewhere in it. */
const withControlCharacter = fc
  .tuple(fc.string({ maxLength: 8 }), controlCharacters, fc.string({ maxLength: 8 }))
  .map((p) => p.join(''));

const extremeDate = fc.oneof(
  fc.constantFrom(
    '-271821-04-20T00:00:00.000Z',
    '+275760-09-13T00:00:00.000Z',
    '-001000-01-01T00:00:00.000Z',
    '0000-01-01T00:00:00.000Z',
    'not a date',
  ),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.integer({ min: -8.64e15, max: 8.64e15 }),
);

/** What an old unsigned cursor looked like (base64url JSON of a date and an id), forged. */
const forgedCursor = fc
  .tuple(extremeDate, fc.oneof(plausibleId, fc.string({ unit: 'binary', maxLength: 12 })))
  .map((position) => Buffer.from(JSON.stringify(position)).toString('base64url'));

/** Strings a careless server trips over. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  withControlCharacter,
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\uD800',
    'x\uDFFFy',
    '\u202Eevil',
    '%00',
    "' OR 1=1 --",
    '"; drop table connections; --',
    '$1',
    '?',
    '\\',
    '${7*7}',
    '../../etc/passwd',
    'javascript:alert(1)',
    'http://127.0.0.1:9/x',
    'https://example.com/\u0000',
    'notion',
    'shopify',
    'a.myshopify.com',
    '+15551234567',
    '-271821-04-20T00:00:00.000Z',
    '+275760-09-13T00:00:00.000Z',
    '-001000-01-01T00:00:00Z',
    '__proto__',
    'constructor',
    '',
    ' ',
  ),
  plausibleId,
  plausibleId.map((id) => `${id}\u0000`),
  forgedCursor,
  fc.nat({ max: 70_000 }).map((n) => 'x'.repeat(n)),
);

export const extremeNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e308, 5e-324, 8.64e15),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Field names the procedures know, plus the keys that pollute prototypes. */
export const FIELD_NAMES = [
  'providerId',
  'externalUserId',
  'redirectUrl',
  'inputs',
  'shop',
  'returnTo',
  'attemptId',
  'connectionId',
  'cursor',
  'limit',
  'ttlSeconds',
  'allowedOrigins',
  'url',
  'events',
  'id',
  'endpointId',
  'status',
  'phone',
  'code',
  'password',
  'flowId',
  'lastEventId',
  'forceRefresh',
  '__proto__',
  'constructor',
  'prototype',
];

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: extremeNumber },
  fc.boolean(),
  fc.constant(null),
);

/** Objects, arrays and values nested a few levels, with known and hostile keys. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...FIELD_NAMES), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** A procedure input: mostly objects with the right field names and wrong values. */
export const hostileInput: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.dictionary(fc.constantFrom(...FIELD_NAMES), hostileValue, { maxKeys: 6 }),
  },
  hostileValue,
  fc.nat({ max: 3000 }).map((depth) => nested(depth)),
  fc.nat({ max: 4000 }).map((n) => Array.from({ length: n }, (_, i) => ({ id: `x${i}` }))),
);

/** A valid input of each procedure (ids are well-formed but unknown), to mutate one field of. */
const TEMPLATES: Record<string, Record<string, unknown> | undefined> = {
  'connect.connections.disconnect': { connectionId: 'conn_AAAAAAAAAAAAAAAAAAAAAA' },
  'connect.oauth.start': {
    providerId: 'shopify',
    inputs: { shop: 'a.myshopify.com' },
    returnTo: '/x',
  },
  'connect.attempts.get': { attemptId: 'att_AAAAAAAAAAAAAAAAAAAAAA' },
  'connect.telegram.sendCode': { phone: '+15551234567' },
  'connect.telegram.verifyCode': { flowId: 'tgf_AAAAAAAAAAAAAAAAAAAAAA', code: '12345' },
  'connect.telegram.verifyPassword': { flowId: 'tgf_AAAAAAAAAAAAAAAAAAAAAA', password: 'pw' },
  'connect.telegram.qr.watch': { flowId: 'tgf_AAAAAAAAAAAAAAAAAAAAAA' },
  'server.connectTokens.create': {
    externalUserId: 'u',
    allowedOrigins: ['https://app.example'],
    ttlSeconds: 600,
  },
  'server.oauth.start': {
    providerId: 'notion',
    externalUserId: 'u',
    redirectUrl: 'http://127.0.0.1:9/done',
  },
  'server.oauth.complete': { attemptId: 'att_AAAAAAAAAAAAAAAAAAAAAA' },
  'server.connections.list': { externalUserId: 'u', providerId: 'notion', limit: 10 },
  'server.connections.get': { connectionId: 'conn_AAAAAAAAAAAAAAAAAAAAAA' },
  'server.connections.delete': { connectionId: 'conn_AAAAAAAAAAAAAAAAAAAAAA' },
  'server.connections.credentials': {
    connectionId: 'conn_AAAAAAAAAAAAAAAAAAAAAA',
    forceRefresh: false,
  },
  'server.webhooks.create': { url: 'http://127.0.0.1:59999/h', events: ['connection.created'] },
  'server.webhooks.delete': { id: 'whe_AAAAAAAAAAAAAAAAAAAAAA' },
  'server.webhooks.deliveries': { endpointId: 'whe_AAAAAAAAAAAAAAAAAAAAAA', limit: 5 },
  'server.integrations.get': { providerId: 'github' },
  'server.integrations.disable': { providerId: 'github' },
  'server.integrations.upsert': {
    providerId: 'github',
    clientId: 'gh-client',
    clientSecret: 'gh-secret',
    scopes: ['repo'],
    mode: 'live',
    enabled: true,
  },
};

/**
 * A procedure's valid input with one field made hostile (or removed, or one added): gets past
 * the other checks, so the hostile value reaches as deep as it can.
 */
export function mutatedInput(path: string): fc.Arbitrary<unknown> {
  const template = TEMPLATES[path] ?? {};
  const keys = Object.keys(template).length ? Object.keys(template) : ['inputs', '__proto__'];
  return fc.oneof(
    fc
      .tuple(
        fc.constantFrom(...keys),
        fc.oneof(
          { weight: 3, arbitrary: withControlCharacter },
          { weight: 3, arbitrary: hostileString },
          hostileValue,
        ),
      )
      .map(([key, value]) => withOwn(template, key, value)),
    fc.constantFrom(...Object.keys(template), '-').map((key) => {
      const copy = { ...template };
      delete copy[key];
      return copy;
    }),
    fc
      .tuple(fc.constantFrom(...Object.keys(template), 'inputs'), hostileString, hostileString)
      .map(([key, k, v]) => withOwn(template, key, withOwn({}, k, v))),
  );
}

/** `{ ...obj, [key]: value }` that makes even `__proto__` an own key, as JSON.parse would. */
function withOwn(
  obj: Record<string, unknown>,
  key: string,
  value: unknown,
): Record<string, unknown> {
  const copy = { ...obj };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

function nested(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { inputs: v };
  return v;
}

/**
 * JSON text for an input, with `__proto__` and `constructor` as real own keys (JSON.stringify of
 * an object literal would drop or rewrite them).
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

/** A fingerprint of every table's rows, to prove a refused request changed nothing. */
export async function databaseFingerprint(orm: Orm): Promise<Record<string, string>> {
  const tables = [
    ...new Set(
      Object.values(orm.getMetadata().getAll())
        .map((m) => m.tableName)
        .filter(Boolean),
    ),
    'mikro_orm_migrations',
  ].sort();
  const conn = orm.em.fork().getConnection();
  const prints = await Promise.all(
    tables.map(async (table) => {
      const rows = await conn.execute<Record<string, unknown>[]>(`select * from "${table}"`);
      // `last_used_at` is usage bookkeeping an authenticated call writes once a minute (api-keys.ts),
      // refused or not: a run longer than a minute would otherwise see it move.
      const lines = rows.map((r) => JSON.stringify({ ...r, last_used_at: undefined })).sort();
      return `${rows.length}:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
    }),
  );
  return Object.fromEntries(tables.map((t, i) => [t, prints[i]!]));
}

/** What must never be in an answer: a stack, SQL, a driver error, a file path. */
const LEAK =
  /\bat (?:async )?[\w$.<>]+ \(|node_modules|\/work\/|\/src\/|\.ts:\d+|SQLITE_|sqlstate|syntax error|\bselect\b.+\bfrom\b|\binsert into\b|\bupdate\b.+\bset\b|mikro_orm|knex|TypeError|ReferenceError|RangeError|Cannot read prop|undefined is not/i;

export function leakIn(text: string): string | null {
  const m = LEAK.exec(text);
  return m ? m[0] : null;
}

/** Percent-encodes the UTF-8 of any string (a lone surrogate becomes U+FFFD, as a browser sends). */
export function percentEncode(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}
