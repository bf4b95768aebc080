import type { PlugboardClient, RouterInputs, RouterOutputs } from '@plugboard/client';
import { parseArgs } from 'node:util';
import type { Output } from './cli';

export const INTEGRATIONS_USAGE = `  integrations list [--json] | integrations get <provider> [--json]
  integrations set <provider> [--client-id <id> --client-secret-stdin] [--clear-client]
      [--scope <scope>]... [--default-scopes] [--mode mock|live|default] [--enable]
  integrations disable <provider>
      Configure providers without a restart (needs an admin key); each value shows where it
      comes from (env, database, default) and environment variables win. The client secret is
      read from standard input (never an argument, which shell history and ps would keep) and
      never printed.`;

type Integration = RouterOutputs['server']['integrations']['get'];
type Upsert = RouterInputs['server']['integrations']['upsert'];

const line = (i: Integration) =>
  [
    i.providerId,
    i.enabled.value ? 'enabled' : 'disabled',
    `mode=${i.mode.value} (${i.mode.source})`,
    i.clientId ? `client=${i.clientId.value} (${i.clientId.source})` : 'client=-',
    i.scopes ? `scopes=${i.scopes.value.join(' ') || '-'} (${i.scopes.source})` : 'scopes=-',
  ].join('\t');

/**
 * `plugboard integrations …`: server.integrations.*. Returns the exit code, or a usage message
 * for the caller to print (2). The server validates (VALIDATION_FAILED names the field).
 */
export async function integrationsCommand(
  client: PlugboardClient,
  args: string[],
  io: Output & { readStdin?: () => Promise<string> },
): Promise<number | { usage: string }> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        'client-id': { type: 'string' },
        'client-secret-stdin': { type: 'boolean' },
        'clear-client': { type: 'boolean' },
        scope: { type: 'string', multiple: true },
        'default-scopes': { type: 'boolean' },
        mode: { type: 'string' },
        enable: { type: 'boolean' },
      },
    });
  } catch (e) {
    return { usage: e instanceof Error ? e.message : String(e) };
  }
  const v = parsed.values;
  const [action, providerArg] = parsed.positionals;
  const providerId = providerArg as Upsert['providerId'];
  const print = (items: Integration[]) => {
    if (v.json) io.out(JSON.stringify(items.length === 1 ? items[0] : items, null, 2));
    else for (const i of items) io.out(line(i));
  };
  switch (action) {
    case 'list':
      print((await client.integrations.list.query()).items);
      return 0;
    case 'get':
      if (!providerArg) return { usage: 'integrations get needs a provider id.' };
      print([await client.integrations.get.query({ providerId })]);
      return 0;
    case 'disable':
      if (!providerArg) return { usage: 'integrations disable needs a provider id.' };
      print([await client.integrations.disable.mutate({ providerId })]);
      io.err(`${providerArg} is off: not offered, new flows refused; connections keep working.`);
      return 0;
    case 'set': {
      if (!providerArg) return { usage: 'integrations set needs a provider id.' };
      if (v['clear-client'] && (v['client-id'] || v['client-secret-stdin'])) {
        return { usage: '--clear-client cannot be combined with --client-id.' };
      }
      if (v.scope && v['default-scopes']) {
        return { usage: '--scope and --default-scopes exclude each other.' };
      }
      const mode = v.mode;
      if (mode !== undefined && !['mock', 'live', 'default'].includes(mode)) {
        return { usage: '--mode is mock, live or default.' };
      }
      const input: Upsert = { providerId };
      if (v['clear-client']) Object.assign(input, { clientId: null, clientSecret: null });
      if (v['client-id'] !== undefined) input.clientId = v['client-id'];
      if (v['client-secret-stdin']) {
        if (!io.readStdin) return { usage: '--client-secret-stdin needs standard input.' };
        input.clientSecret = (await io.readStdin()).replace(/\r?\n$/, '');
      }
      if (v.scope) input.scopes = v.scope;
      if (v['default-scopes']) input.scopes = null;
      if (mode !== undefined) input.mode = mode === 'default' ? null : (mode as 'mock' | 'live');
      if (v.enable) input.enabled = true;
      if (Object.keys(input).length === 1) return { usage: 'integrations set: nothing to change.' };
      print([await client.integrations.upsert.mutate(input)]);
      return 0;
    }
    default:
      return { usage: 'integrations needs list, get, set or disable.' };
  }
}
