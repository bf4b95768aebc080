import { createPlugboardClient, plugboardErrorCode } from '@plugboard/client';
import { parseArgs } from 'node:util';
import { AUDIT_LOG_USAGE, auditLogCommand } from './audit-log';
import { CREDENTIALS_USAGE, credentialsCommand } from './credentials';
import { INTEGRATIONS_USAGE, integrationsCommand } from './integrations';
import type { CliEnv } from './env';

const USAGE = `Usage: plugboard <command>

Commands:
  connect-link <externalUserId> [--ttl <seconds>] [--origin <url>]... [--locale <tag>]
      Mint a single-use connect link for one of your users and print it. --locale (BCP 47,
      like de or es-MX) picks the Connect UI's language; without it the browser's decides.
${AUDIT_LOG_USAGE}
${CREDENTIALS_USAGE}
${INTEGRATIONS_USAGE}

Environment: PLUGBOARD_URL (default http://localhost:3000), PLUGBOARD_API_KEY (pk_…).`;

export interface Output {
  out(line: string): void;
  err(line: string): void;
  /** All of standard input (a secret piped in); absent where there is none. */
  readStdin?(): Promise<string>;
}

/** Runs one command; returns the process exit code. */
export async function runCli(argv: string[], env: CliEnv, io: Output): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  const known = ['connect-link', 'audit-log', 'api-keys', 'api-clients', 'integrations'];
  if (!known.includes(command)) {
    io.err(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  if (!env.apiKey) {
    io.err(
      'PLUGBOARD_API_KEY is not set. In development the server writes one to data/dev-api-key.',
    );
    return 2;
  }
  if (command !== 'connect-link') {
    try {
      const client = createPlugboardClient({ url: env.url, apiKey: env.apiKey });
      const result =
        command === 'audit-log'
          ? await auditLogCommand(client, rest, io)
          : command === 'integrations'
            ? await integrationsCommand(client, rest, io)
            : await credentialsCommand(client, command as 'api-keys' | 'api-clients', rest, io);
      if (typeof result === 'number') return result;
      io.err(`${result.usage}\n\n${USAGE}`);
      return 2;
    } catch (e) {
      return failed(e, io);
    }
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        ttl: { type: 'string' },
        origin: { type: 'string', multiple: true },
        locale: { type: 'string' },
      },
    });
  } catch (e) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return 2;
  }
  const [externalUserId] = parsed.positionals;
  if (!externalUserId) {
    io.err(`connect-link needs the external user id.\n\n${USAGE}`);
    return 2;
  }
  const ttl = parsed.values.ttl === undefined ? undefined : Number(parsed.values.ttl);
  const client = createPlugboardClient({ url: env.url, apiKey: env.apiKey });
  try {
    const link = await client.connectTokens.create.mutate({
      externalUserId,
      ...(ttl === undefined ? {} : { ttlSeconds: ttl }),
      ...(parsed.values.origin ? { allowedOrigins: parsed.values.origin } : {}),
      ...(parsed.values.locale === undefined ? {} : { locale: parsed.values.locale }),
    });
    io.out(link.connectLinkUrl);
    io.err(`Valid until ${link.expiresAt}; it works once.`);
    return 0;
  } catch (e) {
    return failed(e, io);
  }
}

function failed(e: unknown, io: Output): number {
  const code = plugboardErrorCode(e);
  io.err(`${code ? `${code}: ` : ''}${e instanceof Error ? e.message : String(e)}`);
  return 1;
}
