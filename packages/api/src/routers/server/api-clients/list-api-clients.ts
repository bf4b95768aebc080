import { ListApiClientsOutputSchema } from '@plugboard/contracts';
import { listApiClients as list } from '@plugboard/core';
import { z } from 'zod';
import { apiKeyProcedure } from '../../../trpc';

/** Every API client, newest first, revoked ones too; never a secret. */
export const listApiClients = apiKeyProcedure
  .input(z.strictObject({}).optional())
  .output(ListApiClientsOutputSchema)
  .query(({ ctx }) => list(ctx.em));
