import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Api } from 'telegram/tl/index.js';
import { describe, expect, it } from 'vitest';
import { LiveTelegramGateway } from './live-gateway';

const packageDir = fileURLToPath(new URL('../../..', import.meta.url));

/** Which of gramjs's files a fresh process has loaded after running `code` (CommonJS cache). */
function gramjsFilesLoadedBy(code: string): number {
  const out = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `${code}
      const { createRequire } = await import('node:module');
      const files = Object.keys(createRequire(import.meta.url).cache);
      process.stdout.write(String(files.filter((f) => f.includes('/node_modules/telegram/')).length));`,
    ],
    { cwd: packageDir, encoding: 'utf8' },
  );
  return Number(out);
}

describe('live Telegram gateway', () => {
  it('leaves gramjs unloaded until its first call, then loads it', () => {
    const build = `const { LiveTelegramGateway, createMockAuthModes, ProviderHttp } = await import('@plugboard/providers');
      createMockAuthModes('http://127.0.0.1:9', new ProviderHttp({ timeoutMs: 1000 }));
      const live = new LiveTelegramGateway({ apiId: 1, apiHash: 'h', createClient: () => ({
        connect: async () => undefined, invoke: async () => { throw new Error('offline'); },
        switchDc: async () => undefined, saveSession: () => '', destroy: async () => undefined,
      }) });`;
    expect(gramjsFilesLoadedBy(build)).toBe(0);
    expect(
      gramjsFilesLoadedBy(`${build} await live.getMe({ session: '' }).catch(() => undefined);`),
    ).toBeGreaterThan(0);
  });

  it('runs each call on gramjs with the options it was built with', async () => {
    const sent: string[] = [];
    const live = new LiveTelegramGateway({
      apiId: 7,
      apiHash: 'h',
      createClient: (session) => ({
        connect: async () => undefined,
        invoke: async (request) => {
          sent.push(`${request.className} ${session}`);
          return new Api.auth.SentCode({
            type: new Api.auth.SentCodeTypeApp({ length: 5 }),
            phoneCodeHash: 'hash',
          }) as never;
        },
        switchDc: async () => undefined,
        saveSession: () => '1after',
        destroy: async () => undefined,
      }),
    });
    await expect(live.sendCode({ phone: '+15550000001', session: '1before' })).resolves.toEqual({
      session: '1after',
      phoneCodeHash: 'hash',
      codeLength: 5,
      timeoutSeconds: null,
    });
    expect(sent).toEqual(['auth.SendCode 1before']);
  });
});
