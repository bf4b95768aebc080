import { readOneRow, type Em } from '@plugboard/db';

/**
 * One-row reads for the hot paths (API-key checks, credentials reads) as parameterised SQL through
 * MikroORM's connection: no entity hydration, identity map, change-set snapshot or unit of work
 * for a row that is only read (issue 13 measured two `findOne`s at ×3 the same SQL); on a SQLite
 * file, outside a transaction, not even the ORM's connection (packages/db/src/sqlite-reader.ts). Values come
 * back as each driver returns them, so dates and JSON are read with `dateOf` / `jsonOf`: on SQLite
 * a date is epoch milliseconds (packages/db/src/bound-queries.ts binds it so) and JSON is text,
 * on PostgreSQL they are a Date and a parsed value.
 */
export async function readRow<T extends Record<string, unknown>>(
  em: Em,
  sql: string,
  params: unknown[],
): Promise<T | null> {
  return (await readOneRow<T>(em, sql, params)) ?? null;
}

export function dateOf(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'number' || typeof v === 'bigint') return new Date(Number(v));
  const s = String(v);
  return /^\d+$/.test(s) ? new Date(Number(s)) : new Date(s);
}

/** A boolean column: 0/1 on SQLite, true/false on PostgreSQL. */
export function boolOf(v: unknown): boolean {
  return v === true || Number(v) === 1;
}

/** A nullable text column. */
export function textOf(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

export function jsonOf(v: unknown): unknown {
  return typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
}
