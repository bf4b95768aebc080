import { StartOAuthInputSchema, StartOAuthOutputSchema } from '@plugboard/contracts';
import { reconnectFor, startOAuth as start } from '@plugboard/core';
import { sessionProcedure } from '../../../trpc';
import { assertProviderOffered } from '../one-provider';

export const startOAuth = sessionProcedure
  .input(StartOAuthInputSchema)
  .output(StartOAuthOutputSchema)
  .mutation(async ({ ctx, input }) => {
    assertProviderOffered(ctx.session, input.providerId);
    // A reconnect link renews its connection, with the inputs it was made with.
    const reconnect = await reconnectFor(
      ctx.em,
      ctx.deps,
      ctx.session,
      input.reconnectConnectionId,
    );
    return start(ctx.em, ctx.deps, ctx.session, { ...input, ...reconnect });
  });
