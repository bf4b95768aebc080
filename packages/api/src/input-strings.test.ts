import { CONTROL_CHARACTERS_MESSAGE } from '@plugboard/contracts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appRouter } from './root';

/**
 * Every string a tRPC procedure accepts must refuse control characters and broken Unicode with
 * the one shared check (`safeString` / `safeUrl` in packages/contracts/src/strings.ts). This walks
 * the input schema of every procedure, so a new procedure or field built on a bare `z.string()`
 * fails here instead of becoming a 500 when a NUL reaches the database.
 */
type Schema = z.core.$ZodType;
type Step = { kind: 'key'; key: string } | { kind: 'index' } | { kind: 'recordKey' };

/** Paths to every string leaf of a schema (`recordKey` = the key of a record). */
function stringLeaves(schema: Schema, path: Step[] = []): { path: Step[]; schema: Schema }[] {
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  switch (def.type) {
    case 'string':
      return [{ path, schema }];
    case 'object':
      return Object.entries(def.shape as Record<string, Schema>).flatMap(([key, s]) =>
        stringLeaves(s, [...path, { kind: 'key', key }]),
      );
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
    case 'nonoptional':
      return stringLeaves(def.innerType as Schema, path);
    case 'array':
      return stringLeaves(def.element as Schema, [...path, { kind: 'index' }]);
    case 'record':
      return [
        ...stringLeaves(def.keyType as Schema, [...path, { kind: 'recordKey' }]),
        ...stringLeaves(def.valueType as Schema, [...path, { kind: 'key', key: 'k' }]),
      ];
    case 'pipe':
      return stringLeaves(def.in as Schema, path);
    case 'union':
      return (def.options as Schema[]).flatMap((o) => stringLeaves(o, path));
    case 'enum':
    case 'literal':
    case 'number':
    case 'boolean':
      return [];
    // A proxied JSON body (server.connections.proxy): forwarded to the provider as the caller
    // wrote it, JSON-encoded, so no field of it is ours to police.
    case 'unknown':
      return [];
    default:
      throw new Error(`input-strings.test.ts does not know zod type "${def.type}": teach it`);
  }
}

/** An input with `value` at `path` and nothing else (other fields may be missing: fine). */
function inputWith(path: Step[], value: string): unknown {
  const [step, ...rest] = path;
  if (!step) return value;
  switch (step.kind) {
    case 'key':
      return { [step.key]: inputWith(rest, value) };
    case 'index':
      return [inputWith(rest, value)];
    case 'recordKey':
      return { [value]: 'x' };
  }
}

function issueMessages(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((i) => [
    i.message,
    ...('issues' in i && Array.isArray(i.issues)
      ? issueMessages(i.issues as z.core.$ZodIssue[])
      : []),
  ]);
}

/** The string leaves of `schema` that accept a NUL (a bare `z.string()` somewhere). */
function leavesAcceptingControlCharacters(schema: Schema, bad = '\u0000'): string[] {
  return stringLeaves(schema)
    .filter(({ path, schema: leaf }) => {
      const isUrl = (leaf._zod.def as { format?: string }).format === 'url';
      const value = isUrl ? `https://example.com/a${bad}b` : `a${bad}b`;
      const result = z.safeParse(schema, inputWith(path, value));
      return (
        result.success || !issueMessages(result.error.issues).includes(CONTROL_CHARACTERS_MESSAGE)
      );
    })
    .map(({ path }) =>
      path.map((s) => (s.kind === 'key' ? s.key : s.kind === 'index' ? '[]' : '{key}')).join('.'),
    );
}

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { inputs: Schema[] } }>,
);

describe('string inputs of every procedure', () => {
  it('finds the procedures and their string fields (the walk is not vacuous)', () => {
    expect(procedures.length).toBeGreaterThanOrEqual(20);
    const leaves = procedures.flatMap(([, p]) => p._def.inputs.flatMap((s) => stringLeaves(s)));
    expect(leaves.length).toBeGreaterThanOrEqual(25);
  });

  it('would catch a bare z.string(), a bare z.url() and a record with bare keys', () => {
    const careless = z.strictObject({
      a: z.string().max(10),
      b: z.url().optional(),
      c: z.record(z.string(), z.string()),
    });
    expect(leavesAcceptingControlCharacters(careless)).toEqual(['a', 'b', 'c.{key}', 'c.k']);
  });

  it.each(procedures)('%s refuses control characters in every string field', (_name, p) => {
    for (const input of p._def.inputs) {
      for (const bad of ['\u0000', '\n', '\t', '\u007f', '\u009b', '\ud800', '\udfff']) {
        expect(leavesAcceptingControlCharacters(input, bad)).toEqual([]);
      }
    }
  });
});
