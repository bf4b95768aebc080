import { ListIntegrationsOutputSchema } from '@plugboard/contracts';
import { listIntegrations as list } from '@plugboard/core';
import { z } from 'zod';
import { apiKeyProcedure } from '../../../trpc';

/** Every connectable provider's configuration in effect, each value with its source; no secret. */
export const listIntegrations = apiKeyProcedure
  .input(z.strictObject({}).optional())
  .output(ListIntegrationsOutputSchema)
  .query(({ ctx }) => list(ctx.em, ctx.deps));
