import { createPlugboardClient, type PlugboardClient } from '@plugboard/client';
import type { TelegramQrEvent } from '@plugboard/contracts';
import { flowStateAad, ManualClock, newId, open } from '@plugboard/core';
import { ConnectFlow, Connection, type DatabaseConfig } from '@plugboard/db';
import { TRPCClientError } from '@trpc/client';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { BrowserAgent } from './browser-agent';
import { startTestStack, type TestStack } from './stack';

/**
 * The shared fixture of the Telegram integration tests (telegram-phone / telegram-qr): a server
 * on a ManualClock with the mock's MTProto emulation, reset after every test, and the helpers
 * both files use — the mock's control API and inbox, a browser session, the flow's sealed state
 * opened as only the server can, direct MTProto calls, and the QR watch read over SSE.
 */
export const ADA = '+15550000001';
export const BABBAGE = '+15550000002';

export function useTelegramStack(database: () => Promise<DatabaseConfig | null | undefined>) {
  const apiKey = newId('pk_');
  const t = {} as { stack: TestStack; plugboard: PlugboardClient };

  beforeAll(async () => {
    const db = await database();
    t.stack = await startTestStack({
      clock: new ManualClock(),
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey },
      ...(db ? { database: db } : {}),
    });
    t.plugboard = createPlugboardClient({ url: t.stack.url, apiKey });
  });
  afterAll(async () => t.stack?.close());
  afterEach(async () => {
    await control('POST', '/reset');
    await t.stack.orm.em.fork().nativeDelete(Connection, {});
    await t.stack.orm.em.fork().nativeDelete(ConnectFlow, {});
  });

  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${t.stack.mockUrl}/__control${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });

  const newBrowser = async () => {
    const agent = new BrowserAgent(t.stack.url);
    await agent.demoLogin(t.stack.url);
    return agent;
  };

  /** The newest code the mock's "phone" received. */
  async function latestCode(phone: string): Promise<string> {
    const res = await control('GET', `/telegram/inbox?phone=${encodeURIComponent(phone)}`);
    const inbox = (await res.json()) as { messages: { code: string }[] };
    return inbox.messages.at(-1)!.code;
  }

  async function trpcError(promise: Promise<unknown>) {
    const err = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TRPCClientError);
    return err as { message: string; data: { code: string; retryAfterSeconds?: number } };
  }

  /** The flow's sealed values, opened the way only the server can. */
  async function flowSecrets(flowId: string) {
    const row = await t.stack.orm.em.fork().findOneOrFail(ConnectFlow, { id: flowId });
    const keyring = t.stack.server.deps.keyring;
    const state = row.stateEnc
      ? (JSON.parse(open(keyring, row.stateEnc, flowStateAad(row.id))) as {
          phone?: string;
          session: string;
          phoneCodeHash?: string;
        })
      : null;
    return {
      row,
      state,
      session: state?.session ?? null,
      phoneCodeHash: state?.phoneCodeHash ?? null,
    };
  }

  /** Calls the mock's MTProto emulation directly, as another client holding `session` would. */
  const mtproto = (method: string, session: string) =>
    fetch(`${t.stack.mockUrl}/telegram/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-session': session },
      body: '{}',
    });

  /**
   * `connect.telegram.qr.watch` over SSE, read with fetch as httpSubscriptionLink's EventSource
   * would (Node 20 has no EventSource). `next()` waits for the next data event.
   */
  function watch(agent: BrowserAgent, flowId: string) {
    const abort = new AbortController();
    const input = encodeURIComponent(JSON.stringify({ flowId }));
    const events: TelegramQrEvent[] = [];
    const errors: unknown[] = [];
    let wake: () => void = () => undefined;
    let reader: ReadableStreamDefaultReader<string> | undefined;
    const done = (async () => {
      const res = await agent.fetch(
        `${t.stack.url}/trpc/connect.telegram.qr.watch?input=${input}`,
        {
          headers: { accept: 'text/event-stream' },
          signal: abort.signal,
        },
      );
      reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (let ended = false; !ended;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        buffer += chunk.value;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const lines = block.split('\n');
          const event = lines
            .find((l) => l.startsWith('event:'))
            ?.slice(6)
            .trim();
          const data = lines
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim())
            .join('\n');
          // tRPC's end of a subscription: the generator returned.
          if (event === 'return') ended = true;
          if (!data) continue;
          if (event === 'serialized-error') errors.push(JSON.parse(data));
          else if (event === undefined) events.push(JSON.parse(data) as TelegramQrEvent);
          wake();
        }
      }
    })().catch((err: unknown) => {
      if (!abort.signal.aborted) errors.push(err);
    });
    let read = 0;
    return {
      errors,
      async next(timeoutMs = 8000): Promise<TelegramQrEvent> {
        const deadline = Date.now() + timeoutMs;
        while (events.length <= read) {
          if (errors.length) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
          if (Date.now() > deadline) throw new Error('no subscription event in time');
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, 100);
          });
        }
        return events[read++]!;
      },
      async close() {
        abort.abort();
        await reader?.cancel().catch(() => undefined);
        await done;
      },
    };
  }

  return {
    get stack() {
      return t.stack;
    },
    get plugboard() {
      return t.plugboard;
    },
    control,
    newBrowser,
    latestCode,
    trpcError,
    flowSecrets,
    mtproto,
    watch,
  };
}
