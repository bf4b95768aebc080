import type { FastifyInstance, FastifyReply } from 'fastify';
import { parseAccountPatch } from '../core/accounts';
import { ClientConfigError, parseClient } from '../core/clients';
import { FAULT_KINDS } from '../core/faults';
import type { FaultKind } from '../core/faults';
import type { MockState } from '../core/mock-state';
import type { Personality } from '../core/personality';
import { registerUninstallControl } from './uninstall';

/** A control-API misuse, answered as `{ error, message }` so a failing test says what to fix. */
class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function body(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ControlError(400, 'invalid_request', 'Expected a JSON object body.');
  }
  return value as Record<string, unknown>;
}

function optionalString(source: Record<string, unknown>, key: string): string | undefined {
  const value = source[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new ControlError(400, 'invalid_request', `"${key}" must be a string.`);
  }
  return value;
}

function requiredString(source: Record<string, unknown>, key: string): string {
  const value = optionalString(source, key);
  if (value === undefined || value === '') {
    throw new ControlError(400, 'invalid_request', `"${key}" is required.`);
  }
  return value;
}

function positiveNumber(
  source: Record<string, unknown>,
  key: string,
  fallback: number,
  integer: boolean,
): number {
  const value = source[key] ?? fallback;
  if (typeof value !== 'number' || value < 0 || (integer && !Number.isInteger(value))) {
    const what = integer ? 'a non-negative integer' : 'a non-negative number';
    throw new ControlError(400, 'invalid_request', `"${key}" must be ${what}.`);
  }
  return value;
}

function personalityOf(state: MockState, id: string): Personality {
  const personality = state.personalities.get(id);
  if (personality === undefined) {
    const known = [...state.personalities.keys()].join(', ');
    throw new ControlError(404, 'unknown_provider', `No provider "${id}"; known: ${known}.`);
  }
  return personality;
}

function endpointOf(personality: Personality, endpoint: string): string {
  if (!personality.endpoints.includes(endpoint)) {
    const known = personality.endpoints.join(', ');
    throw new ControlError(
      400,
      'unknown_endpoint',
      `${personality.id} has no endpoint "${endpoint}"; known: ${known}.`,
    );
  }
  return endpoint;
}

/** The `/__control` API tests use to steer the mock. JSON in, JSON out. */
export function registerControlRoutes(app: FastifyInstance, state: MockState): void {
  void app.register(
    async (control) => {
      control.setErrorHandler(
        (error: { statusCode?: number; message?: string }, _request, reply: FastifyReply) => {
          if (error instanceof ControlError) {
            return reply.status(error.status).send({ error: error.code, message: error.message });
          }
          const status = error.statusCode ?? 500;
          return reply
            .status(status)
            .send({ error: status < 500 ? 'invalid_request' : 'internal', message: error.message });
        },
      );

      control.get('/', async () => ({
        providers: [...state.personalities.values()].map((p) => ({
          id: p.id,
          name: p.brand.name,
          endpoints: p.endpoints,
          routes: state.routes
            .filter((r) => r.provider === p.id)
            .map(({ method, path, endpoint }) => ({ method, path, endpoint })),
        })),
      }));

      control.get('/requests', async (request) => {
        const query = request.query as Record<string, unknown>;
        return {
          requests: state.log.list({
            provider: optionalString(query, 'provider'),
            endpoint: optionalString(query, 'endpoint'),
          }),
        };
      });

      control.get('/faults', async () => ({ faults: state.faults.list() }));

      control.post('/faults', async (request, reply) => {
        const input = body(request.body);
        const personality = personalityOf(state, requiredString(input, 'provider'));
        const endpoint = endpointOf(personality, requiredString(input, 'endpoint'));
        const kind = requiredString(input, 'kind');
        if (!(FAULT_KINDS as readonly string[]).includes(kind)) {
          throw new ControlError(
            400,
            'invalid_request',
            `"kind" must be one of ${FAULT_KINDS.join(', ')}.`,
          );
        }
        const count = positiveNumber(input, 'count', 1, true);
        if (count < 1)
          throw new ControlError(400, 'invalid_request', '"count" must be at least 1.');
        const fault = state.faults.add({
          provider: personality.id,
          endpoint,
          kind: kind as FaultKind,
          remaining: count,
          retryAfterSeconds: positiveNumber(input, 'retryAfterSeconds', 30, true),
        });
        return reply.status(201).send({ fault });
      });

      control.get('/clock', async () => ({ now: state.clock.toISOString() }));

      control.post('/clock/advance', async (request) => {
        const input = body(request.body);
        if (input['seconds'] === undefined) {
          throw new ControlError(400, 'invalid_request', '"seconds" is required.');
        }
        state.clock.advance(positiveNumber(input, 'seconds', 0, false));
        return { now: state.clock.toISOString() };
      });

      control.post('/clients', async (request) => {
        const input = body(request.body);
        const personality = personalityOf(state, requiredString(input, 'provider'));
        try {
          const client = parseClient(input, 'client');
          state.clients.register(personality.id, client);
          // Echo without the secret: the caller knows it, and responses may end up in logs.
          return {
            client: {
              provider: personality.id,
              clientId: client.clientId,
              name: client.name,
              redirectUris: client.redirectUris,
            },
          };
        } catch (error) {
          if (error instanceof ClientConfigError) {
            throw new ControlError(400, 'invalid_request', error.message);
          }
          throw error;
        }
      });

      control.post('/clients/ensure', async (request) => {
        const input = body(request.body);
        const personality = personalityOf(state, requiredString(input, 'provider'));
        let client;
        try {
          client = parseClient(input, 'client');
        } catch (error) {
          if (error instanceof ClientConfigError) {
            throw new ControlError(400, 'invalid_request', error.message);
          }
          throw error;
        }
        const result = state.clients.ensure(personality.id, client);
        if (!result.ok) {
          throw new ControlError(
            409,
            'secret_mismatch',
            `${personality.id} client "${client.clientId}" is registered with another secret; nothing changed.`,
          );
        }
        return {
          client: {
            provider: personality.id,
            clientId: result.client.clientId,
            name: result.client.name,
            redirectUris: result.client.redirectUris,
          },
          added: result.added,
        };
      });

      control.get('/accounts', async (request) => {
        const query = request.query as Record<string, unknown>;
        const personality = personalityOf(state, requiredString(query, 'provider'));
        return { account: state.accounts.current(personality.id, personality.defaultAccount) };
      });

      control.post('/accounts', async (request) => {
        const input = body(request.body);
        const personality = personalityOf(state, requiredString(input, 'provider'));
        const result = parseAccountPatch(personality.defaultAccount, input['account']);
        if (!result.ok) throw new ControlError(400, 'invalid_request', result.message);
        state.accounts.set(personality.id, result.patch);
        return { account: state.accounts.current(personality.id, personality.defaultAccount) };
      });

      registerUninstallControl(control, state);

      control.post('/reset', async () => {
        state.reset();
        return { ok: true };
      });
    },
    { prefix: '/__control' },
  );
}
