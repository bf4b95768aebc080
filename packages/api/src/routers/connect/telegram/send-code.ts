import { TelegramSendCodeInputSchema, TelegramSendCodeOutputSchema } from '@plugboard/contracts';
<<<<<<< HEAD
import { assertProviderEnabled, sendTelegramCode } from '@plugboard/core';
=======
import { startConnectFlow } from '@plugboard/core';
>>>>>>> main
import { sessionProcedure } from '../../../trpc';
import { assertProviderOffered } from '../one-provider';

export const sendCode = sessionProcedure
  .input(TelegramSendCodeInputSchema)
  .output(TelegramSendCodeOutputSchema)
  .mutation(async ({ ctx, input }) => {
    assertProviderOffered(ctx.session, 'telegram');
<<<<<<< HEAD
    await assertProviderEnabled(ctx.em, 'telegram');
    return sendTelegramCode(ctx.em, ctx.deps, ctx.session, input);
=======
    const flow = ctx.deps.modes.telegram.flow;
    const out = await startConnectFlow(ctx.em, ctx.deps, ctx.session, flow, 'phone', input);
    return TelegramSendCodeOutputSchema.parse(out);
>>>>>>> main
  });
