import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GramjsTelegramGateway, HttpTelegramGateway } from '@plugboard/providers';
import { ProviderHttp } from '@plugboard/providers';
import { loadEnv } from './env';
import { telegramGateway } from './runtime';

describe('environment', () => {
  it('has working development defaults: every provider in mock mode', () => {
    const env = loadEnv({});
    expect(env.publicUrl).toBe('http://localhost:3000');
    expect(env.webUrl).toBe('http://localhost:3000');
    expect(env.integrations.notion).toEqual({
      mode: 'mock',
      clientId: 'plugboard-dev-notion',
      clientSecret: 'mock-secret-notion-dev',
      baseUrl: undefined,
    });
    expect(env.integrations['google-drive'].clientId).toBe('plugboard-dev-google-drive');
  });

  it('reads the two rate-limit budgets and names a bad one', () => {
    expect(loadEnv({})).toMatchObject({
      rateLimitPerIpPerMinute: 600,
      rateLimitPerApiKeyPerMinute: 3000,
    });
    expect(loadEnv({ RATE_LIMIT_PER_IP: '50', RATE_LIMIT_PER_API_KEY: '9000' })).toMatchObject({
      rateLimitPerIpPerMinute: 50,
      rateLimitPerApiKeyPerMinute: 9000,
    });
    expect(() => loadEnv({ RATE_LIMIT_PER_API_KEY: '0' })).toThrow(/RATE_LIMIT_PER_API_KEY/);
  });

  it('switches a provider to live mode when its credentials are set', () => {
    const env = loadEnv({ NOTION_CLIENT_ID: 'real-id', NOTION_CLIENT_SECRET: 'real-secret' });
    expect(env.integrations.notion).toMatchObject({ mode: 'live', clientId: 'real-id' });
    expect(env.integrations.stripe.mode).toBe('mock');
    const forced = loadEnv({
      NOTION_CLIENT_ID: 'a',
      NOTION_CLIENT_SECRET: 'b',
      NOTION_MODE: 'mock',
    });
    expect(forced.integrations.notion.mode).toBe('mock');
  });

  it('switches an api_key provider to live mode with <KEY>_MODE=live alone', () => {
    expect(loadEnv({}).integrations['notion-internal'].mode).toBe('mock');
    const env = loadEnv({ NOTION_INTERNAL_MODE: 'live', TELEGRAM_BOT_MODE: 'live' });
    expect(env.integrations['notion-internal'].mode).toBe('live');
    expect(env.integrations['telegram-bot'].mode).toBe('live');
    expect(env.integrations['stripe-restricted'].mode).toBe('mock');
  });

  it('runs Telegram through gramjs only with real app credentials', () => {
    const http = new ProviderHttp({ timeoutMs: 1000 });
    const mock = loadEnv({});
    expect(mock.telegram.mode).toBe('mock');
    expect(telegramGateway(mock, http)).toBeInstanceOf(HttpTelegramGateway);
    const hash = '0123456789abcdef0123456789abcdef';
    const live = loadEnv({ TELEGRAM_API_ID: '12345', TELEGRAM_API_HASH: hash });
    expect(live.telegram).toEqual({ mode: 'live', apiId: 12345, apiHash: hash });
    expect(telegramGateway(live, http)).toBeInstanceOf(GramjsTelegramGateway);
    expect(() => loadEnv({ TELEGRAM_API_ID: 'x' })).toThrow(/TELEGRAM_API_ID/);
  });

  it('names every invalid variable', () => {
    expect(() => loadEnv({ PORT: 'eighty', PUBLIC_URL: 'not a url' })).toThrow(
      /PORT[\s\S]*PUBLIC_URL|PUBLIC_URL[\s\S]*PORT/,
    );
  });

  it('refuses to start in production without an encryption key or with http URLs', () => {
    expect(() => loadEnv({ NODE_ENV: 'production', PUBLIC_URL: 'https://pb.example' })).toThrow(
      /PLUGBOARD_ENCRYPTION_KEYS/,
    );
    expect(() =>
      loadEnv({
        NODE_ENV: 'production',
        PLUGBOARD_ENCRYPTION_KEYS: 'k1:x',
        PUBLIC_URL: 'http://pb.example',
      }),
    ).toThrow(/PUBLIC_URL must be https/);
    expect(
      loadEnv({
        NODE_ENV: 'production',
        PLUGBOARD_ENCRYPTION_KEYS: 'k1:x',
        PUBLIC_URL: 'https://pb.example',
      }).nodeEnv,
    ).toBe('production');
  });

  it('logs readably in development and as JSON in production and tests', () => {
    const production = { NODE_ENV: 'production', PLUGBOARD_ENCRYPTION_KEYS: 'k1:x' };
    const https = { PUBLIC_URL: 'https://pb.example' };
    expect(loadEnv({}).logFormat).toBe('pretty');
    expect(loadEnv({ ...production, ...https }).logFormat).toBe('json');
    expect(loadEnv({ NODE_ENV: 'test' }).logFormat).toBe('json');
    expect(loadEnv({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(() => loadEnv({ LOG_FORMAT: 'fancy' })).toThrow(/LOG_FORMAT/);
  });

  it('has the defaults the README documents', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const documented = (variable: string) => {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${variable}\``));
      expect(row, `README has a configuration row for ${variable}`).toBeDefined();
      return row!.split('|')[2]!.trim();
    };
    const env = loadEnv({});
    expect(documented('MOCK_PROVIDERS_URL')).toBe(`\`${env.mockProvidersUrl}\``);
    expect(documented('PORT`, `HOST')).toBe(`\`${env.port}\`, \`${env.host}\``);
    expect(documented('DATA_DIR')).toBe(`\`${env.dataDir}\``);
    expect(documented('LOG_LEVEL')).toBe(`\`${env.logLevel}\``);
    expect(documented('PROVIDER_TIMEOUT_MS')).toBe(`\`${env.providerTimeoutMs}\``);
  });
});
