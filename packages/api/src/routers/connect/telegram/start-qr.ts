import { TelegramQrStartOutputSchema } from '@plugboard/contracts';
import { assertProviderEnabled, startTelegramQr } from '@plugboard/core';
import { sessionProcedure } from '../../../trpc';
import { assertProviderOffered } from '../one-provider';

/** No input: the QR flow is for the session's own end user, and tRPC then reads no body. */
export const startQr = sessionProcedure
  .output(TelegramQrStartOutputSchema)
  .mutation(async ({ ctx }) => {
    assertProviderOffered(ctx.session, 'telegram');
    await assertProviderEnabled(ctx.em, 'telegram');
    return startTelegramQr(ctx.em, ctx.deps, ctx.session);
  });
