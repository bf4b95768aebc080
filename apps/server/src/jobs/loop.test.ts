import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLoop, type Loop } from './loop';

/** A tick the test finishes by hand, so "is a tick running?" is under the test's control. */
function gate() {
  let open!: () => void;
  let fail!: (err: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

describe('startLoop', () => {
  const errors: { obj: object; msg?: string }[] = [];
  const logger = { error: (obj: object, msg?: string) => errors.push({ obj, msg }) };
  let loop: Loop | null = null;

  beforeEach(() => {
    vi.useFakeTimers();
    errors.length = 0;
  });
  afterEach(async () => {
    await loop?.stop();
    loop = null;
    vi.useRealTimers();
  });

  it('never starts a tick while the previous one runs, and waits the interval after it ends', async () => {
    let started = 0;
    let active = 0;
    let maxActive = 0;
    const gates: ReturnType<typeof gate>[] = [];
    loop = startLoop({
      name: 'test',
      intervalMs: 1000,
      logger,
      tick: async () => {
        started += 1;
        active += 1;
        maxActive = Math.max(maxActive, active);
        const g = gate();
        gates.push(g);
        await g.promise;
        active -= 1;
      },
    });
    expect(started).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(started).toBe(1);
    // The first tick hangs for ten intervals: a fixed-rate timer would have started ten more.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(started).toBe(1);
    gates[0]!.open();
    await vi.advanceTimersByTimeAsync(999);
    expect(started).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toBe(2);
    gates[1]!.open();
    await vi.advanceTimersByTimeAsync(1000);
    expect(started).toBe(3);
    gates[2]!.open();
    expect(maxActive).toBe(1);
  });

  it('logs a failing tick and keeps going', async () => {
    let calls = 0;
    loop = startLoop({
      name: 'flaky job',
      intervalMs: 100,
      logger,
      tick: async () => {
        calls += 1;
        if (calls === 1) throw new Error('database unreachable');
      },
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.msg).toBe('flaky job failed');
    expect(errors[0]!.obj).toMatchObject({ job: 'flaky job' });
    await vi.advanceTimersByTimeAsync(200);
    expect(calls).toBe(3);
    expect(errors).toHaveLength(1);
  });

  it('stop() waits for the running tick, and no tick starts after it', async () => {
    let started = 0;
    let finished = 0;
    const g = gate();
    loop = startLoop({
      name: 'test',
      intervalMs: 100,
      logger,
      tick: async () => {
        started += 1;
        await g.promise;
        finished += 1;
      },
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(loop.running).toBe(true);
    let stopped = false;
    const stopping = loop.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(500);
    expect(stopped).toBe(false);
    g.open();
    await stopping;
    expect(finished).toBe(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(started).toBe(1);
    expect(loop.running).toBe(false);
  });

  it('stop() before the first tick resolves at once and nothing runs', async () => {
    let started = 0;
    loop = startLoop({ name: 'test', intervalMs: 100, logger, tick: async () => void started++ });
    await loop.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(started).toBe(0);
  });

  it('wake() runs a tick now, or right after the running one — still one at a time', async () => {
    let started = 0;
    const gates: ReturnType<typeof gate>[] = [];
    loop = startLoop({
      name: 'test',
      intervalMs: 60_000,
      logger,
      tick: async () => {
        started += 1;
        const g = gate();
        gates.push(g);
        await g.promise;
      },
    });
    loop.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toBe(1);
    loop.wake();
    loop.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toBe(1);
    gates[0]!.open();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toBe(2);
    gates[1]!.open();
    await vi.advanceTimersByTimeAsync(59_999);
    expect(started).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toBe(3);
    gates[2]!.open();
  });
});
