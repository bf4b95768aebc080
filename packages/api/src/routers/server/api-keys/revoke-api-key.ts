import { RevokeApiKeyInputSchema, RevokeOutputSchema } from '@plugboard/contracts';
import { revokeApiKey as revoke } from '@plugboard/core';
import { apiKeyProcedure } from '../../../trpc';

/** Revokes an API key: refused from its next call on, on every instance. */
export const revokeApiKey = apiKeyProcedure
  .input(RevokeApiKeyInputSchema)
  .output(RevokeOutputSchema)
  .mutation(({ ctx, input }) => revoke(ctx.em, ctx.deps, input.id, ctx.apiKeyId));
