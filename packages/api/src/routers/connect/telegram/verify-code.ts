import {
  TelegramVerifyCodeInputSchema,
  TelegramVerifyCodeOutputSchema,
} from '@plugboard/contracts';
import { answerConnectFlow } from '@plugboard/core';
import { sessionProcedure } from '../../../trpc';

export const verifyCode = sessionProcedure
  .input(TelegramVerifyCodeInputSchema)
  .output(TelegramVerifyCodeOutputSchema)
  .mutation(async ({ ctx, input: { flowId, code } }) => {
    const flow = ctx.deps.modes.telegram.flow;
    const out = await answerConnectFlow(ctx.em, ctx.deps, ctx.session, flow, flowId, 'code', {
      code,
    });
    return TelegramVerifyCodeOutputSchema.parse(out);
  });
