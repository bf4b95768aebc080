import { initTRPC } from '@trpc/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

/**
 * The patch of @trpc/server (patches/, pnpm-workspace.yaml `patchedDependencies`) puts back the
 * object spreads of tRPC's own source in its middleware chain: the published build copies the
 * options of every middleware call key by key (`Object.defineProperty` for each key already
 * there), ~8% of a credentials call's CPU (issue 13). If an upgrade drops the patch, this fails.
 */
describe('tRPC middleware chain (patched @trpc/server)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('runs middlewares, input and output parsers with plain spreads: no defineProperty per call', async () => {
    const t = initTRPC.context<{ who: string }>().create();
    const procedure = t.procedure
      .use(({ next }) => next())
      .use(({ ctx, next }) => next({ ctx: { ...ctx, principal: `key of ${ctx.who}` } }))
      .input(z.object({ id: z.string() }))
      .output(z.object({ id: z.string(), by: z.string() }))
      .mutation(({ ctx, input }) => ({ id: input.id, by: ctx.principal }));
    const caller = t.createCallerFactory(t.router({ p: procedure }))({ who: 'backend' });
    expect(await caller.p({ id: 'warm' })).toEqual({ id: 'warm', by: 'key of backend' });
    const defineProperty = vi.spyOn(Object, 'defineProperty');
    expect(await caller.p({ id: 'conn_1' })).toEqual({ id: 'conn_1', by: 'key of backend' });
    expect(defineProperty).not.toHaveBeenCalled();
  });
});
