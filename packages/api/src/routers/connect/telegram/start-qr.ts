import { TelegramQrStartOutputSchema } from '@plugboard/contracts';
<<<<<<< HEAD
import { assertProviderEnabled, startTelegramQr } from '@plugboard/core';
=======
import { startConnectFlow } from '@plugboard/core';
>>>>>>> main
import { sessionProcedure } from '../../../trpc';
import { assertProviderOffered } from '../one-provider';

/** No input: the QR flow is for the session's own end user, and tRPC then reads no body. */
export const startQr = sessionProcedure
  .output(TelegramQrStartOutputSchema)
  .mutation(async ({ ctx }) => {
    assertProviderOffered(ctx.session, 'telegram');
<<<<<<< HEAD
    await assertProviderEnabled(ctx.em, 'telegram');
    return startTelegramQr(ctx.em, ctx.deps, ctx.session);
=======
    const flow = ctx.deps.modes.telegram.flow;
    const out = await startConnectFlow(ctx.em, ctx.deps, ctx.session, flow, 'qr', undefined);
    return TelegramQrStartOutputSchema.parse(out);
>>>>>>> main
  });
