import { ConnectionRefInputSchema, ServerConnectionDtoSchema } from '@plugboard/contracts';
import { getServerConnection } from '@plugboard/core';
import { apiKeyProcedure } from '../../../trpc';

export const getConnection = apiKeyProcedure
  .input(ConnectionRefInputSchema)
  .output(ServerConnectionDtoSchema)
  .query(({ ctx, input }) => getServerConnection(ctx.em, input.connectionId));
