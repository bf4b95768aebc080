import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import type pinoPretty from 'pino-pretty';
import type { ServerEnv } from './env';

/**
 * Where the server's pino lines go and in which form, as decided by `env.logFormat`: readable
 * lines (pino-pretty, https://github.com/pinojs/pino-pretty#programmatic-integration) for a
 * person in development, one JSON object per line for machines in production. Both render the
 * same serialized objects, so the redaction done by the logger's serializers holds for either.
 * pino-pretty (a CommonJS package) is required only for the readable form, so a production server
 * logging JSON never loads it (1–3 MB less RSS idle in an A/B of the bundle; issue 13, memory).
 */
export function logDestination(env: ServerEnv, stream?: Writable): { stream?: Writable } {
  if (env.logFormat === 'json') return stream ? { stream } : {};
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof pinoPretty;
  return {
    stream: pretty({
      destination: stream ?? 1,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
      // One line per entry: `pnpm start` interleaves the mock's and the server's output.
      singleLine: true,
      // Synchronous writes to stdout, so nothing logged just before an exit is lost.
      sync: true,
    }),
  };
}
