import { IntegrationDtoSchema, IntegrationProviderInputSchema } from '@plugboard/contracts';
import { disableIntegration as disable } from '@plugboard/core';
import { apiKeyProcedure } from '../../../trpc';

/** Turns a provider off: not listed, new flows PROVIDER_DISABLED, existing connections kept. */
export const disableIntegration = apiKeyProcedure
  .input(IntegrationProviderInputSchema)
  .output(IntegrationDtoSchema)
  .mutation(({ ctx, input }) => disable(ctx.em, ctx.deps, input.providerId, ctx.apiKeyId));
