import { CreateApiKeyInputSchema, CreateApiKeyOutputSchema } from '@plugboard/contracts';
import { createApiKey as create } from '@plugboard/core';
import { apiKeyProcedure } from '../../../trpc';

/** A new API key with the given scopes; the key is shown in this answer only. */
export const createApiKey = apiKeyProcedure
  .input(CreateApiKeyInputSchema)
  .output(CreateApiKeyOutputSchema)
  .mutation(({ ctx, input }) => create(ctx.em, ctx.deps, input, ctx.apiKeyId));
