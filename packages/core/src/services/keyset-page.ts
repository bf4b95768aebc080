import type { EntityName, FilterQuery } from '@mikro-orm/core';
import { PlugboardError } from '@plugboard/contracts';
import type { Em } from '@plugboard/db';
import { openCursor, sealCursor, type Keyring } from '../crypto';

/** A row listed newest first: `createdAt`, then `id` to order rows written in the same instant. */
interface KeysetRow {
  id: string;
  createdAt: Date;
}

/** Before the year 10000: inside both PostgreSQL's and JavaScript's timestamp ranges. */
const MAX_CURSOR_TIME_MS = Date.UTC(10000, 0, 1);

/**
 * One page of a newest-first list, keyset-paginated on (createdAt, id) so pages stay stable while
 * rows are added (used by `server.connections.list` and `server.auditLog.list`). The cursor is
 * sealed with the keyring under `scope`, so one list's cursor cannot be replayed on another, and
 * its position is checked even so (a timestamp every database holds, an id that `isId` accepts):
 * a cursor must never be able to make a query fail.
 */
export async function newestFirstPage<T extends KeysetRow, Dto>(
  em: Em,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  opts: {
    keyring: Keyring;
    scope: string;
    isId: (id: string) => boolean;
    limit: number;
    cursor?: string | undefined;
    toDto: (row: T) => Dto;
  },
): Promise<{ items: Dto[]; nextCursor: string | null }> {
  const { keyring, scope, limit } = opts;
  const after = opts.cursor ? decodeCursor(keyring, scope, opts.cursor, opts.isId) : null;
  const rows = await em.find(
    entity,
    {
      ...(where as object),
      ...(after
        ? {
            $or: [
              { createdAt: { $lt: after.createdAt } },
              { createdAt: after.createdAt, id: { $lt: after.id } },
            ],
          }
        : {}),
    } as FilterQuery<T>,
    { orderBy: { createdAt: 'desc', id: 'desc' } as never, limit: limit + 1 },
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(opts.toDto),
    nextCursor:
      rows.length > limit && last
        ? sealCursor(keyring, scope, [last.createdAt.getTime(), last.id])
        : null,
  };
}

function decodeCursor(
  keyring: Keyring,
  scope: string,
  cursor: string,
  isId: (id: string) => boolean,
): { createdAt: Date; id: string } {
  const position = openCursor(keyring, scope, cursor);
  if (Array.isArray(position) && position.length === 2) {
    const [ms, id] = position as unknown[];
    if (
      typeof ms === 'number' &&
      Number.isSafeInteger(ms) &&
      ms >= 0 &&
      ms < MAX_CURSOR_TIME_MS &&
      typeof id === 'string' &&
      isId(id)
    ) {
      return { createdAt: new Date(ms), id };
    }
  }
  throw new PlugboardError('VALIDATION_FAILED', 'The cursor is invalid; start again without one.');
}
