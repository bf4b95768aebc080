import { StartOAuthOutputSchema, StartOAuthInputSchema } from '@plugboard/contracts';
import { reconnectFor, startHeadlessOAuth } from '@plugboard/core';
import { sessionProcedure } from '../../../trpc';
import { assertProviderOffered } from '../one-provider';

/**
 * The provider step of the SDK's modal (issue 9), which runs in a popup: providers refuse to be
 * framed, and the frame's session cookie is partitioned to the host's site, so the popup cannot
 * use it. Like a headless flow the attempt is bound to the popup by its launch link (a binding
 * cookie, first-party there); it belongs to the session's end user, so the frame reads the
 * result with `attempts.get`, and the callback returns the popup to the result page, which hands
 * it to the frame (apps/web/src/embed/embed.ts handOverToOpeningFrame).
 */
export const startPopupOAuth = sessionProcedure
  .input(StartOAuthInputSchema.pick({ providerId: true, inputs: true }))
  .output(StartOAuthOutputSchema)
  .mutation(async ({ ctx, input }) => {
    assertProviderOffered(ctx.session, input.providerId);
    // A reconnect link renews its connection here too, with the inputs it was made with.
    const { reconnectConnectionId, inputs } = await reconnectFor(
      ctx.em,
      ctx.deps,
      ctx.session,
      undefined,
    );
    return startHeadlessOAuth(
      ctx.em,
      ctx.deps,
      {
        providerId: input.providerId,
        externalUserId: ctx.session.externalUserId,
        redirectUrl: `${ctx.deps.settings.webUrl}/connect/result`,
        ...((inputs ?? input.inputs) ? { inputs: inputs ?? input.inputs } : {}),
      },
      reconnectConnectionId ? { reconnectConnectionId } : {},
    );
  });
