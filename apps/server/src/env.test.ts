import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HttpTelegramGateway, LiveTelegramGateway } from '@plugboard/providers';
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
      set: { mode: undefined, client: undefined },
      webhookSecret: 'mock-webhook-secret-notion-dev',
    });
    // The dev signing secret for provider events is never a default in production.
    expect(
      loadEnv({
        NODE_ENV: 'production',
        PUBLIC_URL: 'https://pb.example',
        PLUGBOARD_ENCRYPTION_KEYS: 'k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      }).integrations.stripe.webhookSecret,
    ).toBeUndefined();
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

  it('allows webhooks to private networks outside production only, unless told otherwise', () => {
    const prod = {
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://pb.example',
      PLUGBOARD_ENCRYPTION_KEYS: 'k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    };
    expect(loadEnv({}).webhookAllowPrivateNetworks).toBe(true);
    expect(loadEnv({ NODE_ENV: 'test' }).webhookAllowPrivateNetworks).toBe(true);
    expect(loadEnv(prod).webhookAllowPrivateNetworks).toBe(false);
    expect(
      loadEnv({ ...prod, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }).webhookAllowPrivateNetworks,
    ).toBe(true);
    expect(loadEnv({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' }).webhookAllowPrivateNetworks).toBe(
      false,
    );
    expect(() => loadEnv({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'yes' })).toThrow(
      /WEBHOOK_ALLOW_PRIVATE_NETWORKS/,
    );
  });

  it('reads retention windows in days, with safe defaults, and names a bad one', () => {
    expect(loadEnv({}).retention).toEqual({
      webhookDeliveriesDays: 30,
      authAttemptsDays: 1,
      connectFlowsDays: 1,
      auditEntriesDays: 365,
    });
    expect(
      loadEnv({ RETENTION_AUDIT_DAYS: '730', RETENTION_WEBHOOK_DELIVERIES_DAYS: '7' }).retention,
    ).toMatchObject({ auditEntriesDays: 730, webhookDeliveriesDays: 7 });
    expect(() => loadEnv({ RETENTION_AUDIT_DAYS: '0' })).toThrow(/RETENTION_AUDIT_DAYS/);
    expect(() => loadEnv({ RETENTION_AUTH_ATTEMPTS_DAYS: '1.5' })).toThrow(
      /RETENTION_AUTH_ATTEMPTS_DAYS/,
    );
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
    expect(telegramGateway(live, http)).toBeInstanceOf(LiveTelegramGateway);
    expect(() => loadEnv({ TELEGRAM_API_ID: 'x' })).toThrow(/TELEGRAM_API_ID/);
  });

  it('keeps metrics and traces off by default and reads their settings', () => {
    expect(loadEnv({})).toMatchObject({
      metrics: { enabled: false, token: undefined },
      tracing: null,
    });
    expect(loadEnv({ METRICS: 'on', METRICS_TOKEN: 'a'.repeat(16) }).metrics).toEqual({
      enabled: true,
      token: 'a'.repeat(16),
    });
    expect(() => loadEnv({ METRICS: 'yes' })).toThrow(/METRICS/);
    expect(() => loadEnv({ METRICS_TOKEN: 'has a space in it!' })).toThrow(/METRICS_TOKEN/);
    expect(
      loadEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
        OTEL_EXPORTER_OTLP_HEADERS: 'Api-Key=s%3Dcret, x-team = core',
      }).tracing,
    ).toEqual({
      tracesUrl: 'http://collector:4318/v1/traces',
      headers: { 'api-key': 's=cret', 'x-team': 'core' },
      serviceName: 'plugboard',
    });
    const bad = () =>
      loadEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_HEADERS: 'api-key',
      });
    expect(bad).toThrow(/OTEL_EXPORTER_OTLP_HEADERS/);
    expect(() =>
      loadEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_HEADERS: 'api-key=%E0%A4%A',
      }),
    ).toThrow(/OTEL_EXPORTER_OTLP_HEADERS(?![\s\S]*%E0)/);
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
    expect(documented('METRICS')).toBe('`off`');
    expect(documented('OTEL_SERVICE_NAME')).toBe('`plugboard`');
  });
});
