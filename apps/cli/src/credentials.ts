import { SCOPES, type PlugboardClient, type RouterInputs } from '@plugboard/client';

import { parseArgs } from 'node:util';
import type { Output } from './cli';

/** `text` as lines of at most `width` characters (words kept whole), each after `indent`. */
function wrap(text: string, indent: string, width: number): string {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && indent.length + lines[last]!.length + 1 + word.length <= width) {
      lines[last] += ` ${word}`;
    } else lines.push(word);
  }
  return lines.map((line) => indent + line).join('\n');
}

export const CREDENTIALS_USAGE = `  api-keys create <name> --scope <scope>... | api-keys list | api-keys revoke <key_…>
  api-clients create <name> --scope <scope>... | api-clients list | api-clients revoke <cli_…>
      Manage server-API keys and OAuth clients (needs an admin key). The key or client secret
      is printed once, at creation; lists never show one. Scopes (from the contracts):
${wrap(SCOPES.join(', ') + '.', '      ', 98)}`;

type Row = {
  id: string;
  name: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

const line = (r: Row) =>
  [
    r.id,
    r.name,
    r.scopes.join(' '),
    r.createdAt,
    r.lastUsedAt ?? '-',
    r.revokedAt ? `revoked ${r.revokedAt}` : 'active',
  ].join('\t');

/**
 * `plugboard api-keys …` and `plugboard api-clients …`: server.apiKeys.* / server.apiClients.*.
 * Returns the exit code, or a usage message for the caller to print (2). The server validates
 * names and scopes (VALIDATION_FAILED names the field).
 */
export async function credentialsCommand(
  client: PlugboardClient,
  kind: 'api-keys' | 'api-clients',
  args: string[],
  io: Output,
): Promise<number | { usage: string }> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { scope: { type: 'string', multiple: true } },
    });
  } catch (e) {
    return { usage: e instanceof Error ? e.message : String(e) };
  }
  const [action, arg] = parsed.positionals;
  const scopes = (parsed.values.scope ??
    []) as RouterInputs['server']['apiKeys']['create']['scopes'];
  switch (action) {
    case 'create': {
      if (!arg) return { usage: `${kind} create needs a name.` };
      if (kind === 'api-keys') {
        const key = await client.apiKeys.create.mutate({ name: arg, scopes });
        io.out(key.key);
        io.err(`Created ${key.id} (${key.scopes.join(' ')}). The key is shown only now: store it.`);
      } else {
        const c = await client.apiClients.create.mutate({ name: arg, scopes });
        io.out(`client_id=${c.clientId}\nclient_secret=${c.clientSecret}`);
        io.err(
          `Created ${c.clientId} (${c.scopes.join(' ')}). The secret is shown only now: store it.`,
        );
      }
      return 0;
    }
    case 'list': {
      const page =
        kind === 'api-keys'
          ? await client.apiKeys.list.query()
          : await client.apiClients.list.query();
      for (const r of page.items) io.out(line(r));
      if (page.items.length === 0) io.err('None.');
      return 0;
    }
    case 'revoke': {
      if (!arg) return { usage: `${kind} revoke needs an id.` };
      const r =
        kind === 'api-keys'
          ? await client.apiKeys.revoke.mutate({ id: arg })
          : await client.apiClients.revoke.mutate({ id: arg });
      io.err(r.revoked ? `Revoked ${arg}.` : `${arg} was revoked already.`);
      return 0;
    }
    default:
      return { usage: `${kind} needs create, list or revoke.` };
  }
}
