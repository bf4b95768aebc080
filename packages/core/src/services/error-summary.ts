import { PlugboardError } from '@plugboard/contracts';
import { DriverException } from '@mikro-orm/core';

/**
 * What may be logged or printed of an unexpected error: its class and a short message. A database
 * error anywhere in the cause chain (e.g. inside a failed migration) gives only its code and,
 * on PostgreSQL, the constraint's name: the driver's message embeds the statement with its
 * values (hashes, ciphertexts) and `detail` repeats the offending key, so neither is ever used.
 */
export function errorSummary(
  err: unknown,
  opts: { maxLength?: number } = {},
): { name: string; message: string } {
  const max = opts.maxLength ?? 200;
  if (err instanceof PlugboardError) return { name: err.code, message: err.message };
  const driver = driverErrorIn(err);
  if (driver) {
    const constraint = (driver as { constraint?: unknown }).constraint;
    const migration = (err as { migration?: { name?: unknown } }).migration?.name;
    const message = [
      typeof migration === 'string' ? `migration ${migration} failed:` : '',
      `database error ${String(driver.code ?? 'unknown').slice(0, 40)}`,
      typeof constraint === 'string' ? `(constraint ${constraint.slice(0, 80)})` : '',
    ];
    return { name: driver.name, message: message.filter(Boolean).join(' ') };
  }
  if (err instanceof Error) return { name: err.name, message: err.message.slice(0, max) };
  return { name: 'unknown', message: '' };
}

function driverErrorIn(err: unknown): DriverException | null {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e instanceof Error; depth++, e = e.cause) {
    if (e instanceof DriverException) return e;
  }
  return null;
}
