import type { Context } from '@plugboard/api';
import { PlugboardError } from '@plugboard/contracts';
import {
  abandonIdempotent,
  authenticateBearer,
  beginIdempotent,
  errorSummary,
  finishIdempotent,
  sha256Hex,
} from '@plugboard/core';
import type { FastifyBaseLogger } from 'fastify';
import { restError, restErrorFromPlugboard } from './errors';
import type { CallResult } from './call';

/** Printable ASCII, at most 255 characters (what Stripe accepts; the IETF draft says any string). */
const KEY_FORMAT = /^[\x20-\x7e]{1,255}$/;

/** JSON with object keys sorted: the same body sent with its keys in another order is the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export type IdempotentResult = CallResult & { replayed?: boolean };

/**
 * Runs a create at most once per `Idempotency-Key` (services/idempotency.ts in packages/core):
 * the first request runs and a success is kept; a repeat within 24 hours gets that answer again
 * (`replayed`), a different request with the key a 409 IDEMPOTENCY_KEY_REUSED. An error is not
 * kept — nothing was created — so a corrected retry with the same key runs.
 */
export async function runIdempotent(
  opts: {
    key: string;
    /** Method and path of the request: the same body sent to another route is another request. */
    target: string;
    input: unknown;
    context: Context;
    log: FastifyBaseLogger;
  },
  run: () => Promise<CallResult>,
): Promise<IdempotentResult> {
  const { key, context } = opts;
  if (!KEY_FORMAT.test(key)) {
    const message = 'Idempotency-Key must be 1 to 255 printable ASCII characters';
    return {
      ok: false,
      error: restError('VALIDATION_FAILED', `Invalid input: Idempotency-Key: ${message}`, {
        issues: [{ path: 'Idempotency-Key', message }],
      }),
    };
  }
  let recordId: string;
  try {
    // Keys are per credential: the same authentication the procedure then does again.
    const principal = await authenticateBearer(context.em, context.deps, context.apiKey);
    const start = await beginIdempotent(context.em, context.deps, {
      credentialId: principal.id,
      key,
      requestHash: sha256Hex(`${opts.target}\n${canonicalJson(opts.input)}`),
    });
    if (start.kind === 'replay') {
      return { ok: true, status: start.status, body: start.body, replayed: true };
    }
    recordId = start.recordId;
  } catch (e) {
    if (e instanceof PlugboardError) return { ok: false, error: restErrorFromPlugboard(e) };
    throw e;
  }
  const result = await run();
  try {
    if (result.ok)
      await finishIdempotent(context.em, context.deps, recordId, result.status, result.body);
    else await abandonIdempotent(context.em, recordId);
  } catch (e) {
    // The answer still goes out; the key is freed so a retry is not stuck behind it.
    opts.log.error({ err: errorSummary(e) }, 'idempotency record not saved');
    await abandonIdempotent(context.em, recordId).catch(() => undefined);
  }
  return result;
}
