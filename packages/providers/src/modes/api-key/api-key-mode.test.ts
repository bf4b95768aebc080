import { PlugboardError } from '@plugboard/contracts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderHttp } from '../../http';
import type { ApiKeyProvider, IntegrationConfig } from '../../types';
import { defineApiKeyProvider, fieldsToInputs, verifyWithProvider } from './define';
import { apiKeyMode } from './index';

/** A real HTTP server standing in for a provider's verification endpoint. */
let base: string;
let revoked: string[] = [];
const server = createServer((req, res) => {
  const auth = req.headers.authorization;
  if (req.method === 'DELETE') {
    revoked.push(auth ?? '');
    res.writeHead(204).end();
    return;
  }
  const status = auth === 'Bearer key_good' ? 200 : auth === 'Bearer key_down' ? 503 : 401;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(status === 200 ? { id: 'acct_1', name: 'Acme' } : { error: 'no' }));
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const http = new ProviderHttp({ timeoutMs: 2000 });
const config = (): IntegrationConfig => ({
  providerId: 'notion-internal',
  mode: 'mock',
  clientId: '',
  clientSecret: '',
  baseUrl: base,
});
const WHO = { id: 'notion-internal', name: 'Example' } as const;

function exampleProvider(withRevoke: boolean): ApiKeyProvider {
  return defineApiKeyProvider({
    id: 'notion-internal',
    name: 'Example',
    description: '',
    color: '#000',
    liveBaseUrl: 'https://example.invalid',
    fields: z.strictObject({
      region: z.string().meta({ label: 'Region', secret: false, placeholder: 'eu' }),
      apiKey: z
        .string()
        .trim()
        .regex(/^key_/, 'starts with key_')
        .meta({ label: 'API key', help: 'From the settings page.', secret: true }),
    }),
    async verify(values, ctx) {
      const me = await verifyWithProvider(WHO, ctx, {
        method: 'GET',
        url: `${ctx.config.baseUrl}/me`,
        headers: { authorization: `Bearer ${values.apiKey}` },
        schema: z.object({ id: z.string(), name: z.string() }),
        field: 'apiKey',
        rejected: 'Example did not accept this key.',
      });
      return {
        accountId: me.id,
        label: me.name,
        metadata: {
          providerId: 'notion-internal',
          botId: me.id,
          botName: null,
          workspaceName: null,
        },
      };
    },
    ...(withRevoke
      ? {
          async revoke(
            values: { apiKey: string },
            ctx: { http: ProviderHttp; config: IntegrationConfig },
          ) {
            await ctx.http.request('notion-internal', {
              method: 'DELETE',
              url: `${ctx.config.baseUrl}/me`,
              headers: { authorization: `Bearer ${values.apiKey}` },
            });
          },
        }
      : {}),
  });
}

const mode = apiKeyMode();
const verify = (values: Record<string, string>, p = exampleProvider(false)) =>
  mode.verify(p, values, { http, config: config() });
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(PlugboardError);
      return e as PlugboardError;
    },
  );

describe('api_key mode', () => {
  it('derives the form from the zod fields, in order, secret flagged', () => {
    expect(fieldsToInputs(exampleProvider(false).fields)).toEqual([
      { name: 'region', label: 'Region', secret: false, placeholder: 'eu' },
      { name: 'apiKey', label: 'API key', secret: true, hint: 'From the settings page.' },
    ]);
  });

  it('verifies with the provider and returns canonical values as typed credentials', async () => {
    const { account, credentials } = await verify({ region: 'eu', apiKey: '  key_good ' });
    expect(account.accountId).toBe('acct_1');
    expect(credentials).toEqual({ type: 'api_key', values: { region: 'eu', apiKey: 'key_good' } });
    expect(mode.toDto(exampleProvider(false), credentials)).toMatchObject({
      type: 'api_key',
      accessToken: 'key_good',
      expiresAt: null,
    });
    expect(mode.refreshable(credentials)).toBe(false);
  });

  it('a wrong form is INPUT_INVALID at the field; a missing field says it is required', async () => {
    const wrong = await refusal(verify({ region: 'eu', apiKey: 'nope' }));
    expect([wrong.code, wrong.field]).toEqual(['INPUT_INVALID', 'values.apiKey']);
    const missing = await refusal(verify({ apiKey: 'key_good' }));
    expect([missing.code, missing.field, missing.message]).toEqual([
      'INPUT_INVALID',
      'values.region',
      'Region is required.',
    ]);
  });

  it('a refused key is CREDENTIALS_REJECTED at the secret field; a provider in trouble is PROVIDER_UNAVAILABLE', async () => {
    const rejected = await refusal(verify({ region: 'eu', apiKey: 'key_bad' }));
    expect([rejected.code, rejected.field]).toEqual(['CREDENTIALS_REJECTED', 'values.apiKey']);
    expect(rejected.message).not.toContain('key_bad');
    const down = await refusal(verify({ region: 'eu', apiKey: 'key_down' }));
    expect(down.code).toBe('PROVIDER_UNAVAILABLE');
  });

  it('revokes where the provider can, and says so; otherwise sends nothing', async () => {
    revoked = [];
    const c = { type: 'api_key' as const, values: { region: 'eu', apiKey: 'key_good' } };
    const ctx = {
      http,
      config: config(),
      metadata: {
        providerId: 'notion-internal' as const,
        botId: 'b',
        botName: null,
        workspaceName: null,
      },
      now: new Date(),
    };
    expect(await mode.revoke(exampleProvider(false), c, ctx)).toBe(false);
    expect(revoked).toEqual([]);
    expect(await mode.revoke(exampleProvider(true), c, ctx)).toBe(true);
    expect(revoked).toEqual(['Bearer key_good']);
  });
});
