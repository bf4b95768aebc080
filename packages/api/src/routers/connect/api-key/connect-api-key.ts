import { ApiKeyConnectInputSchema, ApiKeyConnectOutputSchema } from '@plugboard/contracts';
import { connectWithTypedCredentials, reconnectFor } from '@plugboard/core';
import { sessionProcedure } from '../../../trpc';
import { assertProviderOffered } from '../one-provider';

/** Connects an api_key provider with the fields the user typed, verified by the provider first. */
export const connectApiKey = sessionProcedure
  .input(ApiKeyConnectInputSchema)
  .output(ApiKeyConnectOutputSchema)
  .mutation(async ({ ctx, input }) => {
    assertProviderOffered(ctx.session, input.providerId);
    const { reconnectConnectionId } = await reconnectFor(
      ctx.em,
      ctx.deps,
      ctx.session,
      input.reconnectConnectionId,
    );
    return connectWithTypedCredentials(ctx.em, ctx.deps, ctx.session, {
      ...input,
      ...(reconnectConnectionId ? { reconnectConnectionId: reconnectConnectionId as never } : {}),
    });
  });
