import { TelegramSendCodeInputSchema, TelegramSendCodeOutputSchema } from '@plugboard/contracts';
import { sendTelegramCode } from '@plugboard/core';
import { sessionProcedure } from '../../../trpc';

export const sendCode = sessionProcedure
  .input(TelegramSendCodeInputSchema)
  .output(TelegramSendCodeOutputSchema)
  .mutation(({ ctx, input }) => sendTelegramCode(ctx.em, ctx.deps, ctx.session, input));
