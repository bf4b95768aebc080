import { CompleteOAuthInputSchema, CompleteOAuthOutputSchema } from '@plugboard/contracts';
import { completeHeadlessOAuth } from '@plugboard/core';
import { apiKeyProcedure } from '../../../trpc';

/** After the browser came back to the host: the attempt's outcome and its connection. */
export const completeOAuth = apiKeyProcedure
  .input(CompleteOAuthInputSchema)
  .output(CompleteOAuthOutputSchema)
  .mutation(({ ctx, input }) => completeHeadlessOAuth(ctx.em, ctx.deps, input.attemptId));
