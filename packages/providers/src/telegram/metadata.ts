import { z } from 'zod';

/** A Telegram user account, signed in through MTProto (phone code or QR login). */
export const MetadataSchema = z.object({
  providerId: z.literal('telegram'),
  /** Telegram's user id (a TL `long`, kept as a decimal string). */
  userId: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  username: z.string().nullable(),
  /** The account's phone number as Telegram reports it (digits, no `+`). */
  phone: z.string().nullable(),
  /** How the account was signed in. */
  loginMethod: z.enum(['phone', 'qr']),
});
export type Metadata = z.infer<typeof MetadataSchema>;
