import { ManualClock } from '@plugboard/core';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  BrowserAgent,
  parseExposition,
  sampleValue,
  startTestStack,
  testDatabases,
  type TestStack,
} from '../testing';
import { ADA } from '../testing/telegram-suite';

/**
 * `plugboard_connect_flows_total` for the connects that end without an OAuth callback: Telegram's
 * multi-step flow (connected, too many wrong codes, expired) through the mock's MTProto
 * emulation, and API-key connects (verified and stored, refused by the provider), read from
 * GET /metrics over real HTTP. OAuth callbacks are counted in metrics.integration.test.ts.
 */
const databases = testDatabases(inject('postgresUrl'));

describe.each(databases)('connect-flow metrics without a callback on %s', (_db, database) => {
  const clock = new ManualClock();
  let stack: TestStack;

  beforeAll(async () => {
    const db = await database();
    stack = await startTestStack({
      clock,
      env: { METRICS: 'on' },
      ...(db ? { database: db } : {}),
    });
  });
  afterAll(async () => stack?.close());

  const flows = async (provider: string, outcome: string, errorCode: string) => {
    const res = await fetch(`${stack.url}/metrics`);
    expect(res.status).toBe(200);
    return sampleValue(parseExposition(await res.text()), 'plugboard_connect_flows_total', {
      provider,
      outcome,
      error_code: errorCode,
    });
  };
  const browser = async () => {
    const agent = new BrowserAgent(stack.url);
    await agent.demoLogin(stack.url);
    return agent.trpc(stack.url);
  };
  const control = (path: string, body: unknown) =>
    fetch(`${stack.mockUrl}/__control${path}`, {
      method: path.startsWith('/telegram/inbox') ? 'GET' : 'POST',
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
  const latestCode = async (phone: string) => {
    const res = await control(`/telegram/inbox?phone=${encodeURIComponent(phone)}`, undefined);
    return ((await res.json()) as { messages: { code: string }[] }).messages.at(-1)!.code;
  };
  const errorCode = async (promise: Promise<unknown>) => {
    const err = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TRPCClientError);
    return (err as { data: { code: string } }).data.code;
  };

  it('counts a Telegram flow once when it connects, fails or expires', async () => {
    const api = await browser();
    const connected = await api.connect.telegram.sendCode.mutate({ phone: ADA });
    const ok = await api.connect.telegram.verifyCode.mutate({
      flowId: connected.flowId,
      code: await latestCode(ADA),
    });
    expect(ok.status).toBe('connected');
    expect(await flows('telegram', 'completed', 'none')).toBe(1);

    // Five wrong codes end the flow; a try after that is refused without counting it again.
    const wrongCodes = await api.connect.telegram.sendCode.mutate({ phone: ADA });
    const code = await latestCode(ADA);
    const wrong = code === '00000' ? '11111' : '00000';
    for (let i = 1; i <= 4; i++) {
      expect(
        await errorCode(
          api.connect.telegram.verifyCode.mutate({ flowId: wrongCodes.flowId, code: wrong }),
        ),
      ).toBe('CODE_INVALID');
    }
    expect(await flows('telegram', 'failed', 'TOO_MANY_ATTEMPTS')).toBe(0);
    for (const attempt of [wrong, code]) {
      expect(
        await errorCode(
          api.connect.telegram.verifyCode.mutate({ flowId: wrongCodes.flowId, code: attempt }),
        ),
      ).toBe('TOO_MANY_ATTEMPTS');
    }
    expect(await flows('telegram', 'failed', 'TOO_MANY_ATTEMPTS')).toBe(1);

    // A flow lives 10 minutes (TELEGRAM_FLOW_TTL_SECONDS, packages/providers/src/modes/telegram/flow.ts).
    const late = await api.connect.telegram.sendCode.mutate({ phone: ADA });
    const lateCode = await latestCode(ADA);
    clock.advance(11 * 60);
    for (let i = 0; i < 2; i++) {
      expect(
        await errorCode(
          api.connect.telegram.verifyCode.mutate({ flowId: late.flowId, code: lateCode }),
        ),
      ).toBe('STATE_EXPIRED');
    }
    expect(await flows('telegram', 'failed', 'STATE_EXPIRED')).toBe(1);

    expect(await flows('telegram', 'completed', 'none')).toBe(1);
    expect(await flows('telegram', 'failed', 'CODE_INVALID')).toBe(0);
  });

  it('counts an API-key connect when stored and when the provider refuses the key', async () => {
    const issued = await control('/api-keys', { provider: 'notion-internal' });
    expect(issued.status).toBe(200);
    const { values } = (await issued.json()) as { values: Record<string, string> };
    const api = await browser();
    await api.connect.apiKey.connect.mutate({ providerId: 'notion-internal', values });
    expect(await flows('notion-internal', 'completed', 'none')).toBe(1);

    const forged = { token: `ntn_${'x'.repeat(46)}` };
    expect(
      await errorCode(
        api.connect.apiKey.connect.mutate({ providerId: 'notion-internal', values: forged }),
      ),
    ).toBe('CREDENTIALS_REJECTED');
    expect(await flows('notion-internal', 'failed', 'CREDENTIALS_REJECTED')).toBe(1);
    expect(await flows('notion-internal', 'completed', 'none')).toBe(1);

    // No callback, so no callback latency: that histogram stays OAuth's alone.
    const text = await (await fetch(`${stack.url}/metrics`)).text();
    const callbacks = parseExposition(text).filter((s) =>
      s.name.startsWith('plugboard_oauth_callback_duration_seconds'),
    );
    expect(callbacks.filter((s) => s.labels.provider !== undefined)).toEqual([]);
  });
});
