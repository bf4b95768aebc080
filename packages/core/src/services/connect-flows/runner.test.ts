import { PlugboardError } from '@plugboard/contracts';
import { ConnectFlow, Connection } from '@plugboard/db';
import type { FlowReply, StepFlowDefinition, StepResult } from '@plugboard/providers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { open } from '../../crypto';
import { createTestDeps, type TestDeps } from '../../testing';
import { createSession, type SessionInfo } from '../sessions';
import { flowStateAad } from './store';
import { answerConnectFlow, startConnectFlow, watchConnectFlow } from './runner';

/**
 * The runner with a mode it has never heard of: a made-up two-step sign-in defined here (a
 * "door" that asks for a word, then a PIN; or a "bell" that rings until someone answers it),
 * so what the runner enforces is shown without any real mode's steps. It stores its connection
 * as a Notion internal integration's, only because a connection needs a real provider.
 */
type DoorState = { word?: string; pinFor?: string; rings?: number };
type Starts = { door: { word: string }; bell: undefined };
type Answers = { word: { word: string }; pin: { pin: string } };

const SECRET_WORD = 'open-sesame-7f3a';

function connect(name: string): StepResult<DoorState> {
  return {
    kind: 'connect',
    account: {
      accountId: `bot-${name}`,
      label: `Door of ${name}`,
      metadata: {
        providerId: 'notion-internal',
        botId: `bot-${name}`,
        botName: name,
        workspaceName: null,
      },
    },
    credentials: { type: 'api_key', values: { token: `ntn_${name}` } },
  };
}

function doorFlow(events: string[], bell: { answered: boolean; down?: boolean }) {
  const flow: StepFlowDefinition<DoorState, Starts, Answers> = {
    mode: 'api_key',
    providerId: 'notion-internal',
    idPrefix: 'tst_',
    label: 'Door',
    ttlSeconds: 60,
    maxTries: 3,
    maxFlowsPerHour: 4,
    pollMs: 5,
    starts: {
      door: {
        watchable: false,
        run: async ({ word }) => ({ step: 'word', state: { word }, reply: { asks: 'word' } }),
      },
      bell: {
        watchable: true,
        run: async () => ({ step: 'ringing', state: { rings: 0 }, reply: { ringing: true } }),
      },
    },
    steps: {
      word: {
        actions: {
          word: {
            counted: true,
            async run(state, { word }) {
              events.push(`word:${word}`);
              if (word === 'slow') await new Promise((r) => setTimeout(r, 100));
              if (word !== state.word) throw new PlugboardError('CODE_INVALID');
              return { kind: 'next', step: 'pin', state: { pinFor: word }, reply: { asks: 'pin' } };
            },
            onError: (code) => (code === 'CODE_INVALID' ? 'wrong_answer' : 'keep'),
          },
        },
      },
      pin: {
        actions: {
          pin: {
            counted: true,
            async run(state, { pin }) {
              if (pin === 'burnt') throw new PlugboardError('CODE_EXPIRED');
              if (pin === 'later') throw new PlugboardError('PROVIDER_UNAVAILABLE');
              if (pin !== '1234') throw new PlugboardError('PASSWORD_INVALID');
              return connect(state.pinFor ?? 'nobody');
            },
            onError: (code) =>
              code === 'PASSWORD_INVALID'
                ? 'wrong_answer'
                : code === 'CODE_EXPIRED'
                  ? 'end'
                  : 'keep',
          },
        },
        waiting: () => ({ asks: 'pin' }),
      },
      ringing: {
        poll: {
          counted: false,
          async run() {
            events.push('poll');
            if (bell.down) throw new PlugboardError('PROVIDER_UNAVAILABLE');
            if (bell.answered) return connect('bell');
            return { kind: 'stay', reply: { ringing: true } };
          },
          onError: (code) => (code === 'PROVIDER_UNAVAILABLE' ? 'keep' : 'end'),
        },
      },
    },
  };
  return flow;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PlugboardError);
  return (err as PlugboardError).code;
}

describe('connect-flow runner with a made-up mode', () => {
  let t: TestDeps;
  let session: SessionInfo;
  let events: string[];
  let bell: { answered: boolean; down?: boolean };
  let flow: ReturnType<typeof doorFlow>;
  beforeEach(async () => {
    t = await createTestDeps();
    ({ session } = await createSession(t.em(), t.deps, {
      externalUserId: 'user-1',
      allowedOrigins: [],
      demo: false,
    }));
    events = [];
    bell = { answered: false };
    flow = doorFlow(events, bell);
  });
  afterEach(async () => t.close());

  const row = (id: string) => t.em().findOneOrFail(ConnectFlow, { id });
  const start = () =>
    startConnectFlow(t.em(), t.deps, session, flow, 'door', { word: SECRET_WORD });
  const answer = <K extends keyof Answers & string>(id: string, k: K, input: Answers[K]) =>
    answerConnectFlow(t.em(), t.deps, session, flow, id, k, input);

  it('keeps the state sealed, moves step by step and stores the connection', async () => {
    const started = await start();
    expect(started).toEqual({ flowId: expect.stringMatching(/^tst_/), asks: 'word' });
    const first = await row(started.flowId);
    expect(first).toMatchObject({ providerId: 'notion-internal', mode: 'api_key', kind: 'door' });
    expect(first.stateEnc).not.toContain(SECRET_WORD);
    expect(JSON.parse(open(t.deps.keyring, first.stateEnc!, flowStateAad(first.id)))).toEqual({
      word: SECRET_WORD,
    });
    // An answer the current step does not take changes nothing.
    expect(await codeOf(answer(started.flowId, 'pin', { pin: '1234' }))).toBe('FLOW_STEP_INVALID');

    expect(await answer(started.flowId, 'word', { word: SECRET_WORD })).toEqual({ asks: 'pin' });
    expect(await row(started.flowId)).toMatchObject({ step: 'pin', attempts: 0 });
    const done = await answer(started.flowId, 'pin', { pin: '1234' });
    expect(done).toMatchObject({
      status: 'connected',
      connection: { providerId: 'notion-internal', label: `Door of ${SECRET_WORD}` },
    });
    const ended = await row(started.flowId);
    expect(ended).toMatchObject({ step: 'completed', stateEnc: null });
    expect(ended.connectionId).toBe((done as { connection: { id: string } }).connection.id);
    expect(await t.em().count(Connection, {})).toBe(1);
    // A finished flow takes no more answers.
    expect(await codeOf(answer(started.flowId, 'pin', { pin: '1234' }))).toBe('FLOW_STEP_INVALID');
    expect(JSON.stringify(t.logs)).not.toContain(SECRET_WORD);
  });

  it('counts wrong answers per step and fails the flow at the limit', async () => {
    const { flowId } = await start();
    expect(await codeOf(answer(flowId, 'word', { word: 'nope' }))).toBe('CODE_INVALID');
    expect(await codeOf(answer(flowId, 'word', { word: 'nope' }))).toBe('CODE_INVALID');
    // Moving on starts the next step's count afresh.
    await answer(flowId, 'word', { word: SECRET_WORD });
    expect(await codeOf(answer(flowId, 'pin', { pin: '0000' }))).toBe('PASSWORD_INVALID');
    expect(await codeOf(answer(flowId, 'pin', { pin: '0000' }))).toBe('PASSWORD_INVALID');
    expect(await codeOf(answer(flowId, 'pin', { pin: '0000' }))).toBe('TOO_MANY_ATTEMPTS');
    expect(await row(flowId)).toMatchObject({
      step: 'failed',
      errorCode: 'TOO_MANY_ATTEMPTS',
      attempts: 3,
      stateEnc: null,
    });
    // Even the right answer cannot rescue it now.
    expect(await codeOf(answer(flowId, 'pin', { pin: '1234' }))).toBe('TOO_MANY_ATTEMPTS');
    expect(await t.em().count(Connection, {})).toBe(0);
  });

  it("ends the flow on an error its step calls final, and keeps it on one it doesn't", async () => {
    const { flowId } = await start();
    await answer(flowId, 'word', { word: SECRET_WORD });
    expect(await codeOf(answer(flowId, 'pin', { pin: 'later' }))).toBe('PROVIDER_UNAVAILABLE');
    expect(await row(flowId)).toMatchObject({ step: 'pin', attempts: 1 });
    expect(await codeOf(answer(flowId, 'pin', { pin: 'burnt' }))).toBe('CODE_EXPIRED');
    expect(await row(flowId)).toMatchObject({ step: 'failed', errorCode: 'CODE_EXPIRED' });
  });

  it('lets only one of two concurrent tries count (compare-and-swap on the version)', async () => {
    const { flowId } = await start();
    const [a, b] = await Promise.allSettled([
      answer(flowId, 'word', { word: 'slow' }),
      answer(flowId, 'word', { word: 'slow' }),
    ]);
    const codes = [a, b].map((r) =>
      r.status === 'rejected' ? (r.reason as PlugboardError).code : 'ok',
    );
    expect(codes.sort()).toEqual(['CODE_INVALID', 'FLOW_STEP_INVALID']);
    expect(events.filter((e) => e === 'word:slow')).toHaveLength(1);
    expect((await row(flowId)).attempts).toBe(1);
  });

  it('expires, is bound to its session, and limits flows per session and hour', async () => {
    const { flowId } = await start();
    const { session: other } = await createSession(t.em(), t.deps, {
      externalUserId: 'user-1',
      allowedOrigins: [],
      demo: false,
    });
    const err = await answerConnectFlow(t.em(), t.deps, other, flow, flowId, 'word', {
      word: SECRET_WORD,
    }).catch((e: unknown) => e as PlugboardError);
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'That Door sign-in does not exist.' });

    t.clock.advance(61);
    expect(await codeOf(answer(flowId, 'word', { word: SECRET_WORD }))).toBe('STATE_EXPIRED');
    expect(await row(flowId)).toMatchObject({ step: 'failed', errorCode: 'STATE_EXPIRED' });

    for (let i = 0; i < 3; i++) await start();
    expect(await codeOf(start())).toBe('TOO_MANY_ATTEMPTS');
    // Another session has its own budget.
    expect(
      (await startConnectFlow(t.em(), t.deps, other, flow, 'door', { word: 'x' })).flowId,
    ).toMatch(/^tst_/);
    t.clock.advance(3600);
    expect((await start()).flowId).toMatch(/^tst_/);
  });

  it('watches a polled step: each new reply once, passing trouble waited out, then connected', async () => {
    const { flowId } = await startConnectFlow(t.em(), t.deps, session, flow, 'bell', undefined);
    const abort = new AbortController();
    const seen: FlowReply[] = [];
    const watch = watchConnectFlow(t.em(), t.deps, session, flow, flowId, abort.signal);
    seen.push((await watch.next()).value as FlowReply);
    bell.down = true;
    const rest = (async () => {
      for await (const reply of watch) seen.push(reply);
    })();
    while (events.filter((e) => e === 'poll').length < 4)
      await new Promise((r) => setTimeout(r, 5));
    bell.down = false;
    bell.answered = true;
    await rest;
    expect(seen).toMatchObject([
      { ringing: true },
      { status: 'connected', connection: { label: 'Door of bell' } },
    ]);
    expect((await row(flowId)).step).toBe('completed');
    expect(t.logs.some((l) => l.msg === 'connect flow poll failed; retrying')).toBe(true);
    abort.abort();
  });

  it('refuses to watch a flow begun a way that is not watchable', async () => {
    const { flowId } = await start();
    const watch = watchConnectFlow(t.em(), t.deps, session, flow, flowId, undefined);
    expect(await codeOf(watch.next())).toBe('NOT_FOUND');
  });
});
