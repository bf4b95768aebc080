import { ConnectionRefInputSchema, DisconnectOutputSchema } from '@plugboard/contracts';
import { disconnectConnection } from '@plugboard/core';
import { apiKeyProcedure } from '../../../trpc';

/** Revokes the grant at the provider where it can, then deletes the connection. */
export const deleteConnection = apiKeyProcedure
  .input(ConnectionRefInputSchema)
  .output(DisconnectOutputSchema)
  .mutation(({ ctx, input }) =>
    disconnectConnection(ctx.em, ctx.deps, {
      connectionId: input.connectionId,
      actor: ctx.apiKeyId,
    }),
  );
