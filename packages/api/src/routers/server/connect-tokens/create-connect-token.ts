import { ConnectTokenDtoSchema, CreateConnectTokenInputSchema } from '@plugboard/contracts';
import { createConnectToken as create } from '@plugboard/core';
import { apiKeyProcedure } from '../../../trpc';

export const createConnectToken = apiKeyProcedure
  .input(CreateConnectTokenInputSchema)
  .output(ConnectTokenDtoSchema)
  .mutation(({ ctx, input }) => create(ctx.em, ctx.deps, input));
