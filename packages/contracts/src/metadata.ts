import { z } from 'zod';

/**
 * Provider-side facts about a connected account, typed per provider (never a loose record).
 * The `providerId` discriminates the union.
 */
export const NotionMetadataSchema = z.object({
  providerId: z.literal('notion'),
  workspaceId: z.string(),
  workspaceName: z.string().nullable(),
  workspaceIcon: z.string().nullable(),
  botId: z.string(),
  ownerUserId: z.string().nullable(),
  ownerEmail: z.string().nullable(),
  ownerName: z.string().nullable(),
});
export type NotionMetadata = z.infer<typeof NotionMetadataSchema>;

export const ConnectionMetadataSchema = z.discriminatedUnion('providerId', [NotionMetadataSchema]);
export type ConnectionMetadata = z.infer<typeof ConnectionMetadataSchema>;
