import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ProviderContext } from './personality';

/**
 * Credentials a provider issues for its own API (a bot token, an internal integration secret,
 * a restricted key, a custom app's token), as a personality's mock keeps them: the ones issued
 * through `POST /__control/api-keys` (see control/api-keys.ts) plus one fixed dev credential for
 * people trying the server by hand (listed in mocks/providers/README.md). `/__control/reset`
 * forgets the issued ones.
 */
export interface IssuedApiKey<A> {
  /** Exactly the field values a person types into the provider's form. */
  values: Record<string, string>;
  /** Whose they are: the personality's current account when they were issued. */
  account: A;
}

export interface ApiKeyStore<A> {
  /** The issued (or dev) credential whose secret is this, if any. */
  find(secret: string): IssuedApiKey<A> | undefined;
}

/** Letters and digits, as most providers' key alphabets are. */
export function randomAlnum(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * Registers `POST /__control/<personality>/api-keys/<provider>` (what the global
 * `POST /__control/api-keys` dispatches to) and returns the store the personality's routes read.
 * `issue` gets the control call's JSON body and returns the values, or an error message.
 */
export function createApiKeyStore<A>(
  ctx: ProviderContext,
  opts: {
    provider: string;
    /** The field holding the secret, which is what the provider's API is called with. */
    secretField: string;
    issue: (body: Record<string, unknown>) => Record<string, string> | { error: string };
    account: () => A;
    dev: Record<string, string>;
  },
): ApiKeyStore<A> {
  const issued = new Map<string, IssuedApiKey<A>>();
  ctx.onReset(() => issued.clear());
  const dev = { values: opts.dev, account: opts.account() };
  ctx.controlRoute({
    method: 'POST',
    path: `/api-keys/${opts.provider}`,
    handler: async (request: FastifyRequest, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const values = opts.issue(typeof body === 'object' ? body : {});
      if ('error' in values) {
        return reply.status(400).send({ error: 'invalid_request', message: values.error });
      }
      issued.set(values[opts.secretField]!, { values, account: opts.account() });
      return { values };
    },
  });
  return {
    find(secret) {
      if (secret === opts.dev[opts.secretField]) return dev;
      return issued.get(secret);
    },
  };
}
