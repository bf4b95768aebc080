import { errorSummary, type Logger } from '@plugboard/core';

export interface LoopOptions {
  /** Shown in log lines. */
  name: string;
  /** Pause between the end of one tick and the start of the next. */
  intervalMs: number;
  /** One unit of work. A rejection is logged and the loop goes on. */
  tick: () => Promise<unknown>;
  logger: Pick<Logger, 'error'>;
}

export interface Loop {
  /**
   * Runs a tick soon instead of waiting out the interval (e.g. new work arrived). If a tick is
   * running, one more follows right after it; never two at once.
   */
  wake(): void;
  /** No tick starts after this; resolves once the running one (if any) has finished. */
  stop(): Promise<void>;
  readonly running: boolean;
}

/**
 * A background loop whose ticks never overlap: the next tick is scheduled only after the
 * previous one settled (fixed delay, not fixed rate), so a slow tick — a long delivery batch, a
 * slow database — delays the loop instead of piling up concurrent runs that race each other.
 * Timers are unref'd: a loop alone never keeps the process alive.
 */
export function startLoop(opts: LoopOptions): Loop {
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> | null = null;
  let stopped = false;
  let wakeRequested = false;

  const schedule = (delayMs: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, delayMs);
    timer.unref();
  };

  function run(): void {
    timer = null;
    if (stopped || current) return;
    wakeRequested = false;
    current = (async () => {
      try {
        await opts.tick();
      } catch (err) {
        opts.logger.error({ job: opts.name, err: errorSummary(err) }, `${opts.name} failed`);
      }
    })().finally(() => {
      current = null;
      schedule(wakeRequested ? 0 : opts.intervalMs);
    });
  }

  schedule(opts.intervalMs);

  return {
    wake() {
      if (stopped) return;
      if (current) wakeRequested = true;
      else schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await current;
    },
    get running() {
      return current !== null;
    },
  };
}
