/**
 * Runs `round` the way the server's loops do (apps/server/src/jobs/loop.ts): one round at a time,
 * and one more if woken while a round runs. For tests and benchmarks that drive a dispatcher or
 * scheduler without the server. Not a test file itself.
 */
export function coalesced(round: () => Promise<unknown>): () => void {
  let running = false;
  let again = false;
  const wake = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    void round()
      .catch(() => undefined)
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          wake();
        }
      });
  };
  return wake;
}
