import { CredentialsDtoSchema, CredentialsInputSchema } from '@plugboard/contracts';
import { getCredentials as get } from '@plugboard/core';
import { apiKeyProcedure } from '../../../trpc';

/** Fresh credentials: refreshed at the provider first when due or when `forceRefresh` is set. */
export const getCredentials = apiKeyProcedure
  .input(CredentialsInputSchema)
  .output(CredentialsDtoSchema)
  .mutation(({ ctx, input }) => get(ctx.em, ctx.deps, input));
