import { StartOAuthInputSchema, StartOAuthOutputSchema } from '@plugboard/contracts';
import { startOAuth as start } from '@plugboard/core';
import { sessionProcedure } from '../../../trpc';

export const startOAuth = sessionProcedure
  .input(StartOAuthInputSchema)
  .output(StartOAuthOutputSchema)
  .mutation(({ ctx, input }) => start(ctx.em, ctx.deps, ctx.session, input));
