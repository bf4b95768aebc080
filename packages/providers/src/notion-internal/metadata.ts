import { z } from 'zod';

/** A Notion workspace reached with an internal integration's secret (its bot user). */
export const MetadataSchema = z.object({
  providerId: z.literal('notion-internal'),
  botId: z.string(),
  botName: z.string().nullable(),
  workspaceName: z.string().nullable(),
});
export type Metadata = z.infer<typeof MetadataSchema>;
