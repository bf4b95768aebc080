import { PlugboardError } from '@plugboard/contracts';
import ipaddr from 'ipaddr.js';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import type { CoreDeps } from '../deps';

/**
 * Webhook egress safety: a host app registers the URL, and Plugboard's servers POST to it — so
 * without a check a webhook could reach the instance's own loopback services, the private
 * network it runs in, or the cloud metadata service (server-side request forgery). In production
 * (`WEBHOOK_ALLOW_PRIVATE_NETWORKS` unset, see apps/server/src/env.ts) every address a webhook
 * host resolves to must be public unicast:
 *
 * - at registration, the URL's host (an IP literal, or every address its name resolves to);
 * - at delivery, inside the connection itself: the HTTP agent's `connect.lookup` resolves the
 *   name, refuses the connection if any address is not public, and hands exactly the checked
 *   addresses to the socket. What was checked is what is connected to, so a DNS answer that
 *   changes between the check and the connection (DNS rebinding) cannot switch it.
 *
 * Classification is ipaddr.js's `range()` (its special-purpose registries: loopback, private,
 * linkLocal — which holds the 169.254.169.254 metadata address —, carrierGradeNat, uniqueLocal,
 * multicast, unspecified, reserved, …): only `unicast` passes, and IPv4-mapped IPv6 addresses
 * (`::ffff:127.0.0.1`) are judged as the IPv4 address they carry. Decimal, octal and hex IPv4
 * literals (`http://2130706433/`, `http://0177.0.0.1/`, `http://0x7f.1/`) are normalised by the
 * WHATWG URL parser before any of this sees them (https://url.spec.whatwg.org/#concept-ipv4-parser).
 * Redirects are never followed (a 3xx is a failed attempt), so a public endpoint cannot bounce
 * a delivery onward.
 */

/** One resolved address, as `dns.lookup(host, { all: true })` returns them. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (injectable for tests). */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolveHost: ResolveHost = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/**
 * Addresses outside ipaddr.js's special ranges that still must not be reached: Azure's platform
 * endpoint, which serves instance metadata-like data on a public-looking address
 * (https://learn.microsoft.com/en-us/azure/virtual-network/what-is-ip-address-168-63-129-16).
 */
const EXTRA_BLOCKED: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [[ipaddr.parse('168.63.129.16'), 32]];

export interface EgressPolicy {
  /** `WEBHOOK_ALLOW_PRIVATE_NETWORKS`: skip every check (development, or an operator's choice). */
  allowPrivateNetworks: boolean;
  resolveHost: ResolveHost;
}

export function egressPolicy(deps: Pick<CoreDeps, 'settings' | 'resolveHost'>): EgressPolicy {
  return {
    // Absent means refused: core's safe default; the server sets it from NODE_ENV.
    allowPrivateNetworks: deps.settings.allowPrivateWebhookNetworks ?? false,
    resolveHost: deps.resolveHost ?? systemResolveHost,
  };
}

/**
 * Why an address must not be reached (ipaddr.js's range name, e.g. `loopback`, `private`,
 * `linkLocal`, `uniqueLocal`, `carrierGradeNat`), or null for a public unicast address.
 */
export function blockedRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'invalid';
  // process(): an IPv4-mapped IPv6 address becomes the IPv4 address it carries.
  const ip = ipaddr.process(address);
  const range = ip.range();
  if (range !== 'unicast') return range;
  for (const [net, bits] of EXTRA_BLOCKED) {
    if (net.kind() === ip.kind() && ip.match(net, bits)) return 'metadata';
  }
  return null;
}

/** The URL's host as an IP address if it is a literal (`[::1]` → `::1`), else null. */
function ipLiteral(hostname: string): string | null {
  const bare =
    hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) && (bare.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(bare))
    ? bare
    : null;
}

const refuse = (message: string) =>
  new PlugboardError('VALIDATION_FAILED', message, { field: 'url' });

/** The addresses a webhook host resolves to, all checked; throws VALIDATION_FAILED (url) otherwise. */
async function checkedAddresses(
  hostname: string,
  policy: EgressPolicy,
): Promise<ResolvedAddress[]> {
  const literal = ipLiteral(hostname);
  let addresses: ResolvedAddress[];
  if (literal) {
    addresses = [{ address: literal, family: literal.includes(':') ? 6 : 4 }];
  } else {
    try {
      addresses = await policy.resolveHost(hostname);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) {
      throw refuse(`The webhook URL's host ${hostname} could not be resolved.`);
    }
  }
  if (policy.allowPrivateNetworks) return addresses;
  for (const { address } of addresses) {
    const range = blockedRange(address);
    if (range) {
      throw refuse(
        `The webhook URL's host ${hostname} resolves to ${address}, a ${range} address that webhooks may not reach. Use a public address (or set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true on the server if this network is trusted).`,
      );
    }
  }
  return addresses;
}

/** At registration: refuses a URL whose host is (or resolves to) a non-public address. */
export async function assertWebhookUrlAllowed(url: string, policy: EgressPolicy): Promise<void> {
  if (policy.allowPrivateNetworks) return;
  await checkedAddresses(new URL(url).hostname, policy);
}

/**
 * `net.connect`'s `lookup` for webhook sockets: resolves with the policy's resolver and checks
 * every address before the socket is opened, then connects to exactly those addresses.
 */
function pinnedLookup(policy: EgressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    checkedAddresses(hostname, policy).then(
      (addresses) => {
        const usable = options.family
          ? addresses.filter((a) => a.family === options.family)
          : addresses;
        if (usable.length === 0) {
          callback(
            Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }),
            '',
            0,
          );
        } else if (options.all) {
          (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, usable);
        } else {
          callback(null, usable[0]!.address, usable[0]!.family);
        }
      },
      (err: Error) => callback(err, '', 0),
    );
  };
}

/** Origins whose agents one `EgressAgents` keeps; past this the least recently used is closed. */
const AGENTS_MAX = 256;
/** A response body is read (and thrown away) up to this much, so its connection can be reused. */
const DISCARD_LIMIT_BYTES = 64 * 1024;

/**
 * The HTTP agents a webhook dispatcher sends through: one undici Agent per origin, kept for the
 * dispatcher's life (keep-alive: an attempt to a busy endpoint reuses a connection instead of a
 * new agent, socket and handshake each time). Every agent opens its connections through the
 * pinned lookup above, so every new connection is checked at connect time (a changed DNS answer
 * is checked when the next connection is opened); a kept-alive one stays on the address checked
 * when it was opened.
 */
export class EgressAgents {
  private readonly agents = new Map<string, Agent>();
  private closed = false;

  constructor(private readonly policy: EgressPolicy) {}

  for(origin: string): Agent {
    if (this.closed) throw new Error('egress agents closed');
    let agent = this.agents.get(origin);
    if (agent) {
      // Most recently used last, so eviction takes the idlest origin.
      this.agents.delete(origin);
    } else {
      if (this.agents.size >= AGENTS_MAX) {
        const [oldest, old] = this.agents.entries().next().value as [string, Agent];
        this.agents.delete(oldest);
        void old.close(); // waits for its requests in flight, then closes
      }
      agent = new Agent({ connect: { lookup: pinnedLookup(this.policy) } });
    }
    this.agents.set(origin, agent);
    return agent;
  }

  async close(): Promise<void> {
    this.closed = true;
    const agents = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(agents.map((a) => a.destroy()));
  }
}

/**
 * `fetch` for one webhook attempt under the egress policy: an IP-literal host is checked first
 * (sockets to a literal do no lookup), a name inside the socket's lookup (pinned, see above).
 * Never follows a redirect. A refusal by the policy throws `EgressRefusedError`. Sent through
 * `agents` (the dispatcher's, kept alive) when given, else through an agent of its own, closed
 * after the attempt.
 */
export async function egressFetch(
  policy: EgressPolicy,
  url: string,
  init: {
    method: string;
    /** Always `manual`, whatever is asked: a redirect is never followed. */
    redirect?: 'manual';
    headers: Record<string, string>;
    body: string;
    signal: AbortSignal;
  },
  agents?: EgressAgents,
): Promise<{ status: number; body: { cancel(): Promise<void> } | null }> {
  const target = new URL(url);
  if (!policy.allowPrivateNetworks && ipLiteral(target.hostname)) {
    await checkedAddresses(target.hostname, policy).catch((err: unknown) => {
      throw new EgressRefusedError(err);
    });
  }
  const own = agents ? null : new Agent({ connect: { lookup: pinnedLookup(policy) } });
  const dispatcher = own ?? agents!.for(target.origin);
  try {
    const res = await undiciFetch(url, { ...init, redirect: 'manual', dispatcher }).catch(
      (err: unknown) => {
        const cause = (err as { cause?: unknown }).cause;
        if (cause instanceof PlugboardError) throw new EgressRefusedError(cause);
        throw err;
      },
    );
    // The caller only needs the status: the body is read and dropped (up to a limit, past it the
    // connection is closed), so a kept-alive connection is free for the next attempt.
    if (res.body) {
      let read = 0;
      for await (const chunk of res.body) {
        read += (chunk as Uint8Array).byteLength;
        if (read > DISCARD_LIMIT_BYTES) break;
      }
    }
    return { status: res.status, body: null };
  } finally {
    if (own) void own.close();
  }
}

/** A delivery the egress policy refused (recorded on the delivery as `address refused`). */
export class EgressRefusedError extends Error {
  constructor(cause: unknown) {
    super('webhook address refused', { cause });
    this.name = 'EgressRefusedError';
  }
}
