import { PlugboardError, ProviderSummarySchema } from '@plugboard/contracts';
import { disabledProviderIds } from '@plugboard/core';
import { catalog, findCatalogEntry, toSummary } from '@plugboard/providers';
import { z } from 'zod';
import { sessionProcedure } from '../../../trpc';

export const listProviders = sessionProcedure
  .output(z.array(ProviderSummarySchema))
  // A one-provider link lists that provider only; a provider turned off is not listed.
  .query(async ({ ctx }) => {
    const disabled = await disabledProviderIds(ctx.em);
    const only = ctx.session.intent.providerId;
    // A link made for a provider that is turned off would offer nothing: say why instead of
    // showing an empty list, and what the person can do: the session the link opened stays valid, so
    // once the provider is on again a reload offers it.
    if (only !== null && disabled.has(only)) {
      const name = findCatalogEntry(only)?.name ?? only;
      throw new PlugboardError(
        'PROVIDER_DISABLED',
        `${name} is turned off for this app, so this link cannot connect it now. Ask the administrator of the app to turn ${name} on, then reload this page.`,
      );
    }
    return catalog
      .filter((p) => only === null || p.id === only)
      .filter((p) => !disabled.has(p.id))
      .map(toSummary);
  });
