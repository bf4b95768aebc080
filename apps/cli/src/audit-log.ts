import type { PlugboardClient, RouterInputs } from '@plugboard/client';
import { parseArgs } from 'node:util';
import type { Output } from './cli';

export const AUDIT_LOG_USAGE = `  audit-log [--connection <conn_…>] [--actor <key_…|user:<id>|system>] [--action <action>]
            [--limit <1–200>] [--cursor <cursor>] [--json]
      Print the audit log, newest first: time, actor, action, connection (or endpoint), detail.
      The next page's --cursor is printed on stderr; --json prints the page as JSON.`;

type ListInput = RouterInputs['server']['auditLog']['list'];

/**
 * `plugboard audit-log`: one page of `server.auditLog.list`. Returns the exit code, or a usage
 * message for the caller to print (2).
 */
export async function auditLogCommand(
  client: PlugboardClient,
  args: string[],
  io: Output,
): Promise<number | { usage: string }> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        connection: { type: 'string' },
        actor: { type: 'string' },
        action: { type: 'string' },
        limit: { type: 'string' },
        cursor: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
  } catch (e) {
    return { usage: e instanceof Error ? e.message : String(e) };
  }
  const v = parsed.values;
  // The server validates every value (VALIDATION_FAILED names the field); nothing is checked twice.
  const input = {
    ...(v.connection === undefined ? {} : { connectionId: v.connection }),
    ...(v.actor === undefined ? {} : { actor: v.actor }),
    ...(v.action === undefined ? {} : { action: v.action }),
    ...(v.limit === undefined ? {} : { limit: Number(v.limit) }),
    ...(v.cursor === undefined ? {} : { cursor: v.cursor }),
  } as ListInput;
  const page = await client.auditLog.list.query(input);
  if (v.json) {
    io.out(JSON.stringify(page, null, 2));
    return 0;
  }
  for (const e of page.items) {
    const detail = Object.entries(e.detail)
      .map(([k, value]) => `${k}=${String(value)}`)
      .join(' ');
    io.out(
      [e.at, e.actor, e.action, e.connectionId ?? e.targetId ?? '-', detail].join('\t').trimEnd(),
    );
  }
  if (page.items.length === 0) io.err('No entries.');
  if (page.nextCursor) io.err(`More: --cursor ${page.nextCursor}`);
  return 0;
}
