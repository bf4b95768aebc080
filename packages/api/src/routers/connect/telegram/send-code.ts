import { TelegramSendCodeInputSchema, TelegramSendCodeOutputSchema } from '@plugboard/contracts';
import { assertProviderEnabled, startConnectFlow } from '@plugboard/core';
import { sessionProcedure } from '../../../trpc';
import { assertProviderOffered } from '../one-provider';

export const sendCode = sessionProcedure
  .input(TelegramSendCodeInputSchema)
  .output(TelegramSendCodeOutputSchema)
  .mutation(async ({ ctx, input }) => {
    assertProviderOffered(ctx.session, 'telegram');
    await assertProviderEnabled(ctx.em, 'telegram');
    const flow = ctx.deps.modes.telegram.flow;
    const out = await startConnectFlow(ctx.em, ctx.deps, ctx.session, flow, 'phone', input);
    return TelegramSendCodeOutputSchema.parse(out);
  });
