import { ProviderSummarySchema } from '@plugboard/contracts';
import { disabledProviderIds } from '@plugboard/core';
import { catalog, toSummary } from '@plugboard/providers';
import { z } from 'zod';
import { sessionProcedure } from '../../../trpc';

export const listProviders = sessionProcedure
  .output(z.array(ProviderSummarySchema))
  // A one-provider link lists that provider only; a provider turned off is not listed.
  .query(async ({ ctx }) => {
    const disabled = await disabledProviderIds(ctx.em);
    return catalog
      .filter(
        (p) => ctx.session.intent.providerId === null || p.id === ctx.session.intent.providerId,
      )
      .filter((p) => !disabled.has(p.id))
      .map(toSummary);
  });
