import { z } from 'zod';

/** A Notion workspace connection (the token response's workspace, bot and owner). */
export const MetadataSchema = z.object({
  providerId: z.literal('notion'),
  workspaceId: z.string(),
  workspaceName: z.string().nullable(),
  workspaceIcon: z.string().nullable(),
  botId: z.string(),
  ownerUserId: z.string().nullable(),
  ownerEmail: z.string().nullable(),
  ownerName: z.string().nullable(),
});
export type Metadata = z.infer<typeof MetadataSchema>;
