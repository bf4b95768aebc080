import type { Clock } from '../../clock';

export interface BreakerOptions {
  /** Consecutive failed attempts to one endpoint that open its breaker. */
  failureThreshold: number;
  /** How long an opened breaker stays open before one probe is let through. */
  openMs: number;
  /** Each failed probe doubles the open time, up to this. */
  maxOpenMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = {
  failureThreshold: 5,
  openMs: 30 * 1000,
  maxOpenMs: 10 * 60 * 1000,
};

type State =
  | { kind: 'closed'; failures: number }
  | { kind: 'open'; until: number; openMs: number }
  | { kind: 'half-open'; openMs: number; probing: boolean };

export type BreakerState = State['kind'];

/**
 * One circuit breaker per webhook endpoint, in this instance's memory (each instance learns on
 * its own that an endpoint is down; nothing is shared through the database).
 *
 * closed → (failureThreshold consecutive failures) → open: nothing is sent to the endpoint, and
 * its pending deliveries wait without using up their retries → after openMs, half-open: one
 * delivery is let through as a probe → success closes the breaker, failure opens it again for
 * twice as long (at most maxOpenMs). The pattern: https://martinfowler.com/bliki/CircuitBreaker.html
 */
export class EndpointBreakers {
  private readonly states = new Map<string, State>();

  constructor(
    private readonly clock: Clock,
    private readonly opts: BreakerOptions = DEFAULT_BREAKER,
  ) {}

  state(endpointId: string): BreakerState {
    return this.current(endpointId).kind;
  }

  /**
   * How many attempts to this endpoint may be in flight now, given its breaker: `limit` when
   * closed, 0 when open (or while the half-open probe is out), 1 for the probe.
   */
  allowance(endpointId: string, limit: number): number {
    const s = this.current(endpointId);
    if (s.kind === 'closed') return limit;
    if (s.kind === 'open') return 0;
    return s.probing ? 0 : 1;
  }

  /** An attempt to the endpoint starts (marks the half-open probe as taken). */
  started(endpointId: string): void {
    const s = this.current(endpointId);
    if (s.kind === 'half-open') this.states.set(endpointId, { ...s, probing: true });
  }

  /** The attempt did not happen after all (claim lost, shutting down): the probe is free again. */
  released(endpointId: string): void {
    const s = this.current(endpointId);
    if (s.kind === 'half-open') this.states.set(endpointId, { ...s, probing: false });
  }

  succeeded(endpointId: string): void {
    this.states.delete(endpointId);
  }

  /** Returns true when this failure opened the breaker. */
  failed(endpointId: string): boolean {
    const s = this.current(endpointId);
    const now = this.clock.now().getTime();
    if (s.kind === 'half-open') {
      const openMs = Math.min(s.openMs * 2, this.opts.maxOpenMs);
      this.states.set(endpointId, { kind: 'open', until: now + openMs, openMs });
      return true;
    }
    if (s.kind === 'open') return false; // an attempt started before it opened
    const failures = s.failures + 1;
    if (failures < this.opts.failureThreshold) {
      this.states.set(endpointId, { kind: 'closed', failures });
      return false;
    }
    this.states.set(endpointId, {
      kind: 'open',
      until: now + this.opts.openMs,
      openMs: this.opts.openMs,
    });
    return true;
  }

  /** Endpoints nothing may be sent to right now. */
  blocked(): string[] {
    return [...this.states.keys()].filter((id) => this.allowance(id, 1) === 0);
  }

  private current(endpointId: string): State {
    const s = this.states.get(endpointId) ?? { kind: 'closed', failures: 0 };
    if (s.kind === 'open' && this.clock.now().getTime() >= s.until) {
      const next: State = { kind: 'half-open', openMs: s.openMs, probing: false };
      this.states.set(endpointId, next);
      return next;
    }
    return s;
  }
}
