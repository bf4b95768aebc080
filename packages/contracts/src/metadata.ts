import type { z } from 'zod';
import { ConnectionMetadataSchema } from './metadata.generated';
import type { ProviderId } from './providers';

/**
 * Provider-side facts about a connected account, typed per provider (never a loose record). Each
 * provider's schema is `packages/providers/src/<id>/metadata.ts`; the union is generated.
 */
export { ConnectionMetadataSchema };
export type ConnectionMetadata = z.infer<typeof ConnectionMetadataSchema>;
/** One provider's metadata: `MetadataOf<'stripe'>`. */
export type MetadataOf<P extends ProviderId> = Extract<ConnectionMetadata, { providerId: P }>;
