import { PlugboardError } from '@plugboard/contracts';
import { IdempotencyRecord } from '@plugboard/db';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../testing';
import {
  abandonIdempotent,
  beginIdempotent,
  finishIdempotent,
  IDEMPOTENCY_WINDOW_MS,
} from './idempotency';
import { purgeRetained } from './retention';

let t: TestDeps;
beforeEach(async () => {
  t = await createTestDeps();
  return () => t.close();
});

const req = (over: Partial<{ credentialId: string; key: string; requestHash: string }> = {}) => ({
  credentialId: 'key_aaaaaaaaaaaaaaaaaaaa',
  key: 'order-42',
  requestHash: 'a'.repeat(64),
  ...over,
});
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof PlugboardError ? e.code : String(e)),
  );

describe('idempotency records', () => {
  it('runs the first request, replays its answer for the same one, refuses a different one', async () => {
    const first = await beginIdempotent(t.em(), t.deps, req());
    expect(first.kind).toBe('run');
    if (first.kind !== 'run') return;
    await finishIdempotent(t.em(), t.deps, first.recordId, 201, { secret: 'whsec_shown_once' });

    expect(await beginIdempotent(t.em(), t.deps, req())).toEqual({
      kind: 'replay',
      status: 201,
      body: { secret: 'whsec_shown_once' },
    });
    expect(
      await codeOf(beginIdempotent(t.em(), t.deps, req({ requestHash: 'b'.repeat(64) }))),
    ).toBe('IDEMPOTENCY_KEY_REUSED');
    // Another credential's key of the same name is its own.
    expect(
      (await beginIdempotent(t.em(), t.deps, req({ credentialId: 'cli_bbbbbbbbbbbbbbbbbbbb' })))
        .kind,
    ).toBe('run');

    // Neither the key nor the answer is stored in the clear.
    const row = await t.em().findOneOrFail(IdempotencyRecord, { id: first.recordId });
    expect(JSON.stringify(row)).not.toContain('order-42');
    expect(JSON.stringify(row)).not.toContain('whsec_shown_once');
  });

  it('of concurrent duplicates exactly one runs; the others wait for its answer', async () => {
    const calls = Array.from({ length: 5 }, () => beginIdempotent(t.em(), t.deps, req()));
    const winner = await Promise.any(
      calls.map((c) => c.then((r) => (r.kind === 'run' ? r : Promise.reject(new Error('replay'))))),
    );
    expect(await codeOf(beginIdempotent(t.em(), t.deps, req(), { waitMs: 100 }))).toBe(
      'IDEMPOTENCY_KEY_IN_PROGRESS',
    );
    await finishIdempotent(t.em(), t.deps, winner.recordId, 200, { n: 1 });
    const results = await Promise.all(calls);
    expect(results.filter((r) => r.kind === 'run')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'replay')).toEqual(
      Array(4).fill({ kind: 'replay', status: 200, body: { n: 1 } }),
    );
  });

  it('an abandoned claim frees the key for a retry', async () => {
    const first = await beginIdempotent(t.em(), t.deps, req());
    if (first.kind !== 'run') throw new Error('expected to run');
    await abandonIdempotent(t.em(), first.recordId);
    expect((await beginIdempotent(t.em(), t.deps, req({ requestHash: 'c'.repeat(64) }))).kind).toBe(
      'run',
    );
  });

  it('after 24 hours the key is free again, and retention purges the record', async () => {
    const first = await beginIdempotent(t.em(), t.deps, req());
    if (first.kind !== 'run') throw new Error('expected to run');
    await finishIdempotent(t.em(), t.deps, first.recordId, 201, { id: 1 });

    t.clock.advance(IDEMPOTENCY_WINDOW_MS / 1000 - 60);
    expect((await purgeRetained(t.em(), t.deps)).idempotencyRecords).toBe(0);
    expect((await beginIdempotent(t.em(), t.deps, req())).kind).toBe('replay');

    t.clock.advance(120);
    expect((await purgeRetained(t.em(), t.deps)).idempotencyRecords).toBe(1);
    expect(await t.em().count(IdempotencyRecord)).toBe(0);
    expect((await beginIdempotent(t.em(), t.deps, req({ requestHash: 'd'.repeat(64) }))).kind).toBe(
      'run',
    );
  });

  it('a record past the window but not yet purged does not block the key', async () => {
    const first = await beginIdempotent(t.em(), t.deps, req());
    if (first.kind !== 'run') throw new Error('expected to run');
    await finishIdempotent(t.em(), t.deps, first.recordId, 201, { id: 1 });
    t.clock.advance(IDEMPOTENCY_WINDOW_MS / 1000 + 1);
    expect((await beginIdempotent(t.em(), t.deps, req({ requestHash: 'e'.repeat(64) }))).kind).toBe(
      'run',
    );
  });
});
