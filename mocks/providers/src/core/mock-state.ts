import { AccountOverrides } from './accounts';
import { ClientRegistry } from './clients';
import type { ClientsByProvider } from './clients';
import { MockClock } from './clock';
import { FaultInjector, HeldRequests } from './faults';
import type { Personality } from './personality';
import { RefreshOmissions } from './refresh-omission';
import { RequestLog } from './request-log';

/** A personality route as `GET /__control` lists it (e.g. for tests that find authorize paths). */
export interface RouteInfo {
  provider: string;
  method: string;
  /** Full path, Fastify syntax: `/notion/v1/oauth/authorize`, `/shopify/store/:shop/…`. */
  path: string;
  endpoint: string;
}

/** Everything the control API can see or change, in one place so `reset()` misses nothing. */
export class MockState {
  readonly clock = new MockClock();
  readonly log = new RequestLog();
  readonly faults = new FaultInjector();
  readonly held = new HeldRequests();
  readonly refreshOmissions = new RefreshOmissions(this.faults);
  readonly accounts = new AccountOverrides();
  readonly clients: ClientRegistry;
  /** Filled as personalities register; fixed once the server is ready. */
  readonly routes: RouteInfo[] = [];
  readonly personalities: ReadonlyMap<string, Personality>;
  /** Set once the server listens; personalities read it through `ctx.baseUrl()`. */
  baseUrl = '';
  readonly #resetters: (() => void)[] = [];

  constructor(clients: ClientsByProvider, personalities: readonly Personality[]) {
    this.clients = new ClientRegistry(clients);
    const byId = new Map<string, Personality>();
    for (const personality of personalities) {
      if (byId.has(personality.id)) throw new Error(`Duplicate personality "${personality.id}".`);
      byId.set(personality.id, personality);
    }
    this.personalities = byId;
  }

  onReset(reset: () => void): void {
    this.#resetters.push(reset);
  }

  /** Back to the configured defaults: dev clients (or the clients file), default accounts, real time, no faults. */
  reset(): void {
    this.held.releaseAll();
    this.faults.reset();
    this.refreshOmissions.reset();
    this.log.reset();
    this.clock.reset();
    this.clients.reset();
    this.accounts.reset();
    for (const reset of this.#resetters) reset();
  }
}
