import { IntegrationDtoSchema, UpsertIntegrationInputSchema } from '@plugboard/contracts';
import { upsertIntegration as upsert } from '@plugboard/core';
import { apiKeyProcedure } from '../../../trpc';

/** Stores a provider's client, scopes, mode or enabled flag; in effect on every instance at once. */
export const upsertIntegration = apiKeyProcedure
  .input(UpsertIntegrationInputSchema)
  .output(IntegrationDtoSchema)
  .mutation(({ ctx, input }) => upsert(ctx.em, ctx.deps, input, ctx.apiKeyId));
