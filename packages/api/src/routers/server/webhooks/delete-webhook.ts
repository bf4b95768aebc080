import { WebhookRefInputSchema } from '@plugboard/contracts';
import { deleteWebhookEndpoint } from '@plugboard/core';
import { z } from 'zod';
import { apiKeyProcedure } from '../../../trpc';

export const deleteWebhook = apiKeyProcedure
  .input(WebhookRefInputSchema)
  .output(z.object({ id: z.string() }))
  .mutation(({ ctx, input }) =>
    deleteWebhookEndpoint(ctx.em, input.id, { deps: ctx.deps, actor: ctx.apiKeyId }),
  );
