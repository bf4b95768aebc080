import { StartOAuthInputSchema, StartOAuthOutputSchema } from '@plugboard/contracts';
import { startOAuth as start } from '@plugboard/core';
import { sessionProcedure } from '../../../trpc';
import { assertProviderOffered } from '../one-provider';

export const startOAuth = sessionProcedure
  .input(StartOAuthInputSchema)
  .output(StartOAuthOutputSchema)
  .mutation(({ ctx, input }) => {
    assertProviderOffered(ctx.session, input.providerId);
    return start(ctx.em, ctx.deps, ctx.session, input);
  });
