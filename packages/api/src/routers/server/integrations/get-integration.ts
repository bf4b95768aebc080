import { IntegrationDtoSchema, IntegrationProviderInputSchema } from '@plugboard/contracts';
import { getIntegration as get } from '@plugboard/core';
import { apiKeyProcedure } from '../../../trpc';

/** One provider's configuration in effect: env, database or default for each value; no secret. */
export const getIntegration = apiKeyProcedure
  .input(IntegrationProviderInputSchema)
  .output(IntegrationDtoSchema)
  .query(({ ctx, input }) => get(ctx.em, ctx.deps, input.providerId));
