import {
  TelegramVerifyCodeInputSchema,
  TelegramVerifyCodeOutputSchema,
} from '@plugboard/contracts';
import { verifyTelegramCode } from '@plugboard/core';
import { sessionProcedure } from '../../../trpc';

export const verifyCode = sessionProcedure
  .input(TelegramVerifyCodeInputSchema)
  .output(TelegramVerifyCodeOutputSchema)
  .mutation(({ ctx, input }) => verifyTelegramCode(ctx.em, ctx.deps, ctx.session, input));
