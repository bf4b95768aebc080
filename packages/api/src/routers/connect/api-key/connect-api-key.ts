import { ApiKeyConnectInputSchema, ApiKeyConnectOutputSchema } from '@plugboard/contracts';
import { connectWithTypedCredentials } from '@plugboard/core';
import { sessionProcedure } from '../../../trpc';

/** Connects an api_key provider with the fields the user typed, verified by the provider first. */
export const connectApiKey = sessionProcedure
  .input(ApiKeyConnectInputSchema)
  .output(ApiKeyConnectOutputSchema)
  .mutation(({ ctx, input }) => connectWithTypedCredentials(ctx.em, ctx.deps, ctx.session, input));
