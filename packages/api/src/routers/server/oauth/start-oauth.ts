import { ServerStartOAuthInputSchema, StartOAuthOutputSchema } from '@plugboard/contracts';
import { startHeadlessOAuth } from '@plugboard/core';
import { apiKeyProcedure } from '../../../trpc';

/** Headless start: send the user's browser to `authorizationUrl` (a single-use Plugboard link). */
export const startOAuth = apiKeyProcedure
  .input(ServerStartOAuthInputSchema)
  .output(StartOAuthOutputSchema)
  .mutation(({ ctx, input }) => startHeadlessOAuth(ctx.em, ctx.deps, input));
