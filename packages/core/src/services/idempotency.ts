import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { PlugboardError } from '@plugboard/contracts';
import { IdempotencyRecord, type Em } from '@plugboard/db';
import { setTimeout as sleep } from 'node:timers/promises';
import { aadFor, newId, open, seal, sha256Hex } from '../crypto';
import type { CoreDeps } from '../deps';

/**
 * `Idempotency-Key` for REST creates (apps/server/src/rest/idempotency.ts), the model of
 * https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/ and Stripe's
 * https://docs.stripe.com/api/idempotent_requests: the first request with a key runs and its
 * answer is kept for 24 hours; the same key with the same request gets that answer again, with a
 * different request a 409. A key is scoped to the credential that sent it.
 */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;

/** How long a duplicate waits for the first request's answer before a 409 IN_PROGRESS. */
const DEFAULT_WAIT_MS = 10_000;
const POLL_MS = 50;

export interface IdempotencyRequest {
  /** The API key (`key_…`) or API client (`cli_…`) that sent the request. */
  credentialId: string;
  /** The `Idempotency-Key` header as sent (only its hash is stored). */
  key: string;
  /** A fingerprint of what the request asks for: method, path and body. */
  requestHash: string;
}

export type IdempotencyStart =
  /** First use of the key: run the request, then `finishIdempotent` or `abandonIdempotent`. */
  | { kind: 'run'; recordId: string }
  /** Seen before with this request: the first answer. */
  | { kind: 'replay'; status: number; body: unknown };

/** What a stored answer is sealed to (its row), for reading and for key rotation (key-rotation.ts). */
export const idempotencyResponseAad = (id: string) => aadFor('idempotency_records', 'response', id);
const aad = idempotencyResponseAad;

/**
 * Claims the key for this request, or returns the answer of the request that claimed it. The
 * claim is a row unique on (credential, key hash): of two concurrent requests exactly one
 * inserts it; the other waits (up to `waitMs`) for that one's answer.
 */
export async function beginIdempotent(
  em: Em,
  deps: Pick<CoreDeps, 'clock' | 'keyring'>,
  req: IdempotencyRequest,
  opts: { waitMs?: number } = {},
): Promise<IdempotencyStart> {
  const keyHash = sha256Hex(req.key);
  const where = { credentialId: req.credentialId, keyHash };
  const deadline = Date.now() + (opts.waitMs ?? DEFAULT_WAIT_MS);
  for (;;) {
    const id = newId('idem_');
    try {
      await em.fork().insert(IdempotencyRecord, {
        id,
        ...where,
        requestHash: req.requestHash,
        responseStatus: null,
        responseEnc: null,
        createdAt: deps.clock.now(),
      });
      return { kind: 'run', recordId: id };
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
    }
    const existing = await em.fork().findOne(IdempotencyRecord, where);
    if (!existing) continue; // finished and abandoned meanwhile: claim it again
    if (deps.clock.now().getTime() - existing.createdAt.getTime() >= IDEMPOTENCY_WINDOW_MS) {
      // Past the window but not purged yet: the key is free again.
      await em.fork().nativeDelete(IdempotencyRecord, { id: existing.id });
      continue;
    }
    if (existing.requestHash !== req.requestHash)
      throw new PlugboardError('IDEMPOTENCY_KEY_REUSED');
    if (existing.responseStatus != null && existing.responseEnc != null) {
      return {
        kind: 'replay',
        status: existing.responseStatus,
        body: JSON.parse(open(deps.keyring, existing.responseEnc, aad(existing.id))),
      };
    }
    if (Date.now() >= deadline) {
      throw new PlugboardError('IDEMPOTENCY_KEY_IN_PROGRESS', undefined, { retryAfterSeconds: 1 });
    }
    await sleep(POLL_MS);
  }
}

/** Keeps the answer of the request that claimed the key (sealed: it can hold a new secret). */
export async function finishIdempotent(
  em: Em,
  deps: Pick<CoreDeps, 'keyring'>,
  recordId: string,
  status: number,
  body: unknown,
): Promise<void> {
  await em.fork().nativeUpdate(
    IdempotencyRecord,
    { id: recordId },
    {
      responseStatus: status,
      responseEnc: seal(deps.keyring, JSON.stringify(body), aad(recordId)),
    },
  );
}

/** Frees the key when the request failed in a way worth retrying (5xx, 429): nothing is kept. */
export async function abandonIdempotent(em: Em, recordId: string): Promise<void> {
  await em.fork().nativeDelete(IdempotencyRecord, { id: recordId });
}
