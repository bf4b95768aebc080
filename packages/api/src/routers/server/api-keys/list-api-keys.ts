import { ListApiKeysOutputSchema } from '@plugboard/contracts';
import { listApiKeys as list } from '@plugboard/core';
import { z } from 'zod';
import { apiKeyProcedure } from '../../../trpc';

/** Every API key, newest first, revoked ones too; never the key itself. */
export const listApiKeys = apiKeyProcedure
  .input(z.strictObject({}).optional())
  .output(ListApiKeysOutputSchema)
  .query(({ ctx }) => list(ctx.em));
