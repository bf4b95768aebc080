import {
  TelegramVerifyPasswordInputSchema,
  TelegramVerifyPasswordOutputSchema,
} from '@plugboard/contracts';
import { answerConnectFlow } from '@plugboard/core';
import { sessionProcedure } from '../../../trpc';

/** The 2FA password challenge of a phone or QR sign-in. */
export const verifyPassword = sessionProcedure
  .input(TelegramVerifyPasswordInputSchema)
  .output(TelegramVerifyPasswordOutputSchema)
  .mutation(async ({ ctx, input: { flowId, password } }) => {
    const flow = ctx.deps.modes.telegram.flow;
    const out = await answerConnectFlow(ctx.em, ctx.deps, ctx.session, flow, flowId, 'password', {
      password,
    });
    return TelegramVerifyPasswordOutputSchema.parse(out);
  });
