import type { FastifyReply, FastifyRequest } from 'fastify';

export const FAULT_KINDS = [
  'error_500',
  'timeout',
  'rate_limit',
  'invalid_grant',
  'omit_refresh_token',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
/**
 * Faults that answer in the provider's words (as opposed to `timeout`, which never answers, and
 * `omit_refresh_token`, which changes a real answer: core/refresh-omission.ts).
 */
export type AnsweringFaultKind = Exclude<FaultKind, 'timeout' | 'omit_refresh_token'>;

export interface Fault {
  id: string;
  provider: string;
  endpoint: string;
  kind: FaultKind;
  /** Calls still to be hit by this fault. */
  remaining: number;
  retryAfterSeconds: number;
}

export interface FaultResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** `false`: a rate_limit answer without `Retry-After` (a provider that sends other headers). */
  retryAfterHeader?: false;
}

/**
 * Faults queued per provider endpoint, consumed first in, first out: each matching call uses up
 * one `count` of the oldest fault.
 */
export class FaultInjector {
  #faults: Fault[] = [];
  #nextId = 1;

  add(fault: Omit<Fault, 'id'>): Fault {
    const full = { id: String(this.#nextId++), ...fault };
    this.#faults.push(full);
    return full;
  }

  /** The fault to apply to this call, if any, counting it as used (`kinds`: only these). */
  take(
    provider: string,
    endpoint: string,
    kinds: (kind: FaultKind) => boolean = () => true,
  ): Fault | undefined {
    const fault = this.#faults.find(
      (f) => f.provider === provider && f.endpoint === endpoint && kinds(f.kind),
    );
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#faults.splice(this.#faults.indexOf(fault), 1);
    return fault;
  }

  list(): Fault[] {
    return this.#faults.map((f) => ({ ...f }));
  }

  reset(): void {
    this.#faults = [];
  }
}

/**
 * Requests a `timeout` fault swallowed. They stay open (the client sees a hang, as with a stuck
 * provider) until `releaseAll()` drops their connections on reset or close.
 */
export class HeldRequests {
  readonly #held = new Set<FastifyRequest>();

  hold(request: FastifyRequest, reply: FastifyReply): void {
    // Hijacking stops Fastify from answering; the socket is ours until we destroy it.
    reply.hijack();
    this.#held.add(request);
    // The socket, not the request stream: nothing reads the body, so only the connection's end
    // (client gave up, or releaseAll) reliably says the request is gone.
    request.raw.socket.once('close', () => this.#held.delete(request));
  }

  get size(): number {
    return this.#held.size;
  }

  releaseAll(): void {
    for (const request of this.#held) request.raw.socket.destroy();
    this.#held.clear();
  }
}

/** A fault's answer as `[status, body]`; a function makes it per call (fresh correlation ids). */
export type FaultAnswer = readonly [status: number, body: unknown];
export type FaultTable = Readonly<Record<AnsweringFaultKind, FaultAnswer | (() => FaultAnswer)>>;

/**
 * A personality's `faultResponse` written as a table: `table` answers for every endpoint,
 * `byEndpoint` for endpoints on a host that words its errors differently (the API host beside
 * the OAuth host, as at Calendly, Stripe or Zoom).
 */
export function faultTable(
  table: FaultTable,
  byEndpoint: Readonly<Record<string, Partial<FaultTable>>> = {},
): (kind: AnsweringFaultKind, endpoint: string) => FaultResponse {
  return (kind, endpoint) => {
    const entry = byEndpoint[endpoint]?.[kind] ?? table[kind];
    const [status, body] = typeof entry === 'function' ? entry() : entry;
    return { status, body };
  };
}

/** RFC 6749 §5.2's error body, the shape most OAuth hosts answer in. */
export const oauthErrorBody = (error: string, description: string) => ({
  error,
  error_description: description,
});

/** Provider-neutral fault bodies, for personalities that have no better shape. */
export function defaultFaultResponse(kind: AnsweringFaultKind): FaultResponse {
  switch (kind) {
    case 'error_500':
      return { status: 500, body: { error: 'server_error', error_description: 'Injected fault.' } };
    case 'rate_limit':
      return {
        status: 429,
        body: { error: 'rate_limited', error_description: 'Too many requests.' },
      };
    case 'invalid_grant':
      return {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'The grant is invalid or expired.' },
      };
  }
}
