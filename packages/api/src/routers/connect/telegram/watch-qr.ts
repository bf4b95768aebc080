import { TelegramQrEventSchema, TelegramQrWatchInputSchema } from '@plugboard/contracts';
import { watchConnectFlow } from '@plugboard/core';
import { tracked } from '@trpc/server';
import { sessionProcedure } from '../../../trpc';

/**
 * A subscription (SSE through httpSubscriptionLink): the QR login's progress until it ends.
 * Events are `tracked()` so an SSE client reconnects with `lastEventId`; the flow row holds the
 * state, so a reconnect simply resumes watching. The generator stops when the client leaves.
 */
export const watchQr = sessionProcedure
  .input(TelegramQrWatchInputSchema)
  .subscription(async function* ({ ctx, input, signal }) {
    let seq = Number(input.lastEventId ?? 0) || 0;
    for await (const event of watchConnectFlow(
      ctx.em,
      ctx.deps,
      ctx.session,
      ctx.deps.modes.telegram.flow,
      input.flowId,
      signal,
    )) {
      seq += 1;
      // Parsed like an `.output()`: only the declared fields reach the browser.
      yield tracked(String(seq), TelegramQrEventSchema.parse(event));
    }
  });
