import { describe, expect, it } from 'vitest';
import { readEnv } from './env';

describe('readEnv', () => {
  it('defaults to 127.0.0.1:4010 and the conventional dev clients', () => {
    expect(readEnv({})).toEqual({ port: 4010, host: '127.0.0.1', clientsFile: undefined });
  });

  it('reads the overrides', () => {
    expect(
      readEnv({
        MOCK_PROVIDERS_PORT: '0',
        MOCK_PROVIDERS_HOST: '0.0.0.0',
        MOCK_PROVIDERS_CLIENTS_FILE: '/tmp/clients.json',
      }),
    ).toEqual({ port: 0, host: '0.0.0.0', clientsFile: '/tmp/clients.json' });
  });

  it('rejects a bad port', () => {
    expect(() => readEnv({ MOCK_PROVIDERS_PORT: 'http' })).toThrow(/MOCK_PROVIDERS_PORT/);
  });
});
