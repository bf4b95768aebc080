import { CreateApiClientInputSchema, CreateApiClientOutputSchema } from '@plugboard/contracts';
import { createApiClient as create } from '@plugboard/core';
import { apiKeyProcedure } from '../../../trpc';

/** A new API client (client credentials); its secret is shown in this answer only. */
export const createApiClient = apiKeyProcedure
  .input(CreateApiClientInputSchema)
  .output(CreateApiClientOutputSchema)
  .mutation(({ ctx, input }) => create(ctx.em, ctx.deps, input, ctx.apiKeyId));
