import { ListDeliveriesInputSchema, WebhookDeliveryDtoSchema } from '@plugboard/contracts';
import { listWebhookDeliveries } from '@plugboard/core';
import { z } from 'zod';
import { apiKeyProcedure } from '../../../trpc';

/** Recent deliveries with their attempts and last error, newest first. */
export const listDeliveries = apiKeyProcedure
  .input(ListDeliveriesInputSchema)
  .output(z.array(WebhookDeliveryDtoSchema))
  .query(({ ctx, input }) => listWebhookDeliveries(ctx.em, input));
