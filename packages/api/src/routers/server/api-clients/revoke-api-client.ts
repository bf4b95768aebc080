import { RevokeApiClientInputSchema, RevokeOutputSchema } from '@plugboard/contracts';
import { revokeApiClient as revoke } from '@plugboard/core';
import { apiKeyProcedure } from '../../../trpc';

/** Revokes an API client and ends its access tokens at once, on every instance. */
export const revokeApiClient = apiKeyProcedure
  .input(RevokeApiClientInputSchema)
  .output(RevokeOutputSchema)
  .mutation(({ ctx, input }) => revoke(ctx.em, ctx.deps, input.id, ctx.apiKeyId));
