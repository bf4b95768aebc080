import { CredentialsDtoSchema, CredentialsInputSchema } from '@plugboard/contracts';
import { auditCredentialsRead, getCredentials as get } from '@plugboard/core';
import { apiKeyProcedure } from '../../../trpc';

/**
 * Fresh credentials: refreshed at the provider first when due or when `forceRefresh` is set.
 * Every read is in the audit log (by this API key).
 */
export const getCredentials = apiKeyProcedure
  .input(CredentialsInputSchema)
  .output(CredentialsDtoSchema)
  .mutation(({ ctx, input }) =>
    auditCredentialsRead(
      ctx.em,
      ctx.deps,
      { actor: ctx.apiKeyId, connectionId: input.connectionId },
      () => get(ctx.em, ctx.deps, input),
    ),
  );
