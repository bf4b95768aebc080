import { CreateWebhookInputSchema, CreatedWebhookDtoSchema } from '@plugboard/contracts';
import { createWebhookEndpoint } from '@plugboard/core';
import { apiKeyProcedure } from '../../../trpc';

/** Registers an endpoint; the signing secret is returned this once. */
export const createWebhook = apiKeyProcedure
  .input(CreateWebhookInputSchema)
  .output(CreatedWebhookDtoSchema)
  .mutation(({ ctx, input }) => createWebhookEndpoint(ctx.em, ctx.deps, input, ctx.apiKeyId));
