/**
 * The one clock every expiry reads. It runs with real time plus an offset, so tokens carry
 * believable timestamps while tests can still jump forward with `/__control/clock/advance`.
 */
export class MockClock {
  #offsetMs = 0;

  /** Milliseconds since the epoch, as the mock sees it. */
  now(): number {
    return Date.now() + this.#offsetMs;
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  toISOString(): string {
    return new Date(this.now()).toISOString();
  }

  advance(seconds: number): void {
    this.#offsetMs += seconds * 1000;
  }

  reset(): void {
    this.#offsetMs = 0;
  }
}
