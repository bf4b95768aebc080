import { ProviderSummarySchema } from '@plugboard/contracts';
import { catalog, toSummary } from '@plugboard/providers';
import { z } from 'zod';
import { sessionProcedure } from '../../../trpc';

export const listProviders = sessionProcedure
  .output(z.array(ProviderSummarySchema))
  // A one-provider link lists that provider only.
  .query(({ ctx }) =>
    catalog
      .filter(
        (p) => ctx.session.intent.providerId === null || p.id === ctx.session.intent.providerId,
      )
      .map(toSummary),
  );
