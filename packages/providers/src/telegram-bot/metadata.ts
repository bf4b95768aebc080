import { z } from 'zod';

/** A Telegram bot, reached with its Bot API token. */
export const MetadataSchema = z.object({
  providerId: z.literal('telegram-bot'),
  /** The bot's user id (the digits before the token's colon). */
  botId: z.string(),
  username: z.string(),
  firstName: z.string(),
});
export type Metadata = z.infer<typeof MetadataSchema>;
