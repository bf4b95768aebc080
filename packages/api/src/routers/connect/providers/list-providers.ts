import { ProviderSummarySchema } from '@plugboard/contracts';
import { catalog, toSummary } from '@plugboard/providers';
import { z } from 'zod';
import { sessionProcedure } from '../../../trpc';

export const listProviders = sessionProcedure
  .output(z.array(ProviderSummarySchema))
  .query(() => catalog.map(toSummary));
