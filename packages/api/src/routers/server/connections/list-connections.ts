import { ListConnectionsInputSchema, ListConnectionsOutputSchema } from '@plugboard/contracts';
import { listConnectionsPage } from '@plugboard/core';
import { apiKeyProcedure } from '../../../trpc';

export const listConnections = apiKeyProcedure
  .input(ListConnectionsInputSchema)
  .output(ListConnectionsOutputSchema)
  .query(({ ctx, input }) => listConnectionsPage(ctx.em, ctx.deps, input));
