import { ConnectionMetadataSchema, PlugboardError } from '@plugboard/contracts';
import { Connection, type Em } from '@plugboard/db';
import { findCatalogEntry } from '@plugboard/providers';
import type { CoreDeps } from '../deps';
import type { SessionInfo } from './sessions';

/**
 * Which connection a flow started in this session renews. A reconnect link (connect token
 * `reconnectConnectionId`, services/connect-tokens.ts) pins every flow of its session to that
 * connection — the server fills it in, and the provider inputs it was made with (Shopify's
 * shop) — so no crafted request turns a reconnect link into a plain connect. Elsewhere it is
 * the UI's Reconnect choice (`asked`), checked by the flow itself.
 */
export async function reconnectFor(
  em: Em,
  deps: Pick<CoreDeps, 'modes'>,
  session: SessionInfo,
  asked: string | undefined,
): Promise<{ reconnectConnectionId?: string; inputs?: Record<string, string> }> {
  const pinned = session.intent.reconnectConnectionId;
  if (!pinned) return asked ? { reconnectConnectionId: asked } : {};
  if (asked !== undefined && asked !== pinned) {
    throw new PlugboardError('FORBIDDEN', 'This connect link renews one connection only.');
  }
  const target = await em.findOne(Connection, {
    id: pinned,
    externalUserId: session.externalUserId,
  });
  if (!target) {
    throw new PlugboardError(
      'NOT_FOUND',
      'The connection this link was made to renew has been removed. Nothing was changed; ask the app for a new link.',
    );
  }
  const entry = findCatalogEntry(target.providerId);
  const inputs = entry
    ? deps.modes[entry.authMode].inputsFromMetadata(
        entry,
        ConnectionMetadataSchema.parse(target.metadata),
      )
    : {};
  return { reconnectConnectionId: pinned, inputs };
}
