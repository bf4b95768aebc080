import { WebhookEndpointDtoSchema } from '@plugboard/contracts';
import { listWebhookEndpoints } from '@plugboard/core';
import { z } from 'zod';
import { apiKeyProcedure } from '../../../trpc';

export const listWebhooks = apiKeyProcedure
  .output(z.array(WebhookEndpointDtoSchema))
  .query(({ ctx }) => listWebhookEndpoints(ctx.em));
