import {
  TelegramVerifyPasswordInputSchema,
  TelegramVerifyPasswordOutputSchema,
} from '@plugboard/contracts';
import { verifyTelegramPassword } from '@plugboard/core';
import { sessionProcedure } from '../../../trpc';

export const verifyPassword = sessionProcedure
  .input(TelegramVerifyPasswordInputSchema)
  .output(TelegramVerifyPasswordOutputSchema)
  .mutation(({ ctx, input }) => verifyTelegramPassword(ctx.em, ctx.deps, ctx.session, input));
