import { TelegramSendCodeInputSchema, TelegramSendCodeOutputSchema } from '@plugboard/contracts';
import { assertProviderEnabled, sendTelegramCode } from '@plugboard/core';
import { sessionProcedure } from '../../../trpc';
import { assertProviderOffered } from '../one-provider';

export const sendCode = sessionProcedure
  .input(TelegramSendCodeInputSchema)
  .output(TelegramSendCodeOutputSchema)
  .mutation(async ({ ctx, input }) => {
    assertProviderOffered(ctx.session, 'telegram');
    await assertProviderEnabled(ctx.em, 'telegram');
    return sendTelegramCode(ctx.em, ctx.deps, ctx.session, input);
  });
