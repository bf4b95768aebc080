import { TelegramSendCodeInputSchema, TelegramSendCodeOutputSchema } from '@plugboard/contracts';
import { sendTelegramCode } from '@plugboard/core';
import { sessionProcedure } from '../../../trpc';
import { assertProviderOffered } from '../one-provider';

export const sendCode = sessionProcedure
  .input(TelegramSendCodeInputSchema)
  .output(TelegramSendCodeOutputSchema)
  .mutation(({ ctx, input }) => {
    assertProviderOffered(ctx.session, 'telegram');
    return sendTelegramCode(ctx.em, ctx.deps, ctx.session, input);
  });
