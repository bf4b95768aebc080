import { TelegramQrStartOutputSchema } from '@plugboard/contracts';
import { assertProviderEnabled, startConnectFlow } from '@plugboard/core';
import { sessionProcedure } from '../../../trpc';
import { assertProviderOffered } from '../one-provider';

/** No input: the QR flow is for the session's own end user, and tRPC then reads no body. */
export const startQr = sessionProcedure
  .output(TelegramQrStartOutputSchema)
  .mutation(async ({ ctx }) => {
    assertProviderOffered(ctx.session, 'telegram');
    await assertProviderEnabled(ctx.em, 'telegram');
    const flow = ctx.deps.modes.telegram.flow;
    const out = await startConnectFlow(ctx.em, ctx.deps, ctx.session, flow, 'qr', undefined);
    return TelegramQrStartOutputSchema.parse(out);
  });
