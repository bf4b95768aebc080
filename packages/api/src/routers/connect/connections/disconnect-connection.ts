import { DisconnectInputSchema, DisconnectOutputSchema } from '@plugboard/contracts';
import { disconnectConnection as disconnect } from '@plugboard/core';
import { sessionProcedure } from '../../../trpc';

export const disconnectConnection = sessionProcedure
  .input(DisconnectInputSchema)
  .output(DisconnectOutputSchema)
  .mutation(({ ctx, input }) =>
    disconnect(ctx.em, ctx.deps, {
      externalUserId: ctx.session.externalUserId,
      connectionId: input.connectionId,
    }),
  );
