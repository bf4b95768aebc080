import { PlugboardError, type ProviderId } from '@plugboard/contracts';
import type { SessionInfo } from '@plugboard/core';

/**
 * A one-provider link (connect token `providerId`) offers that provider only: the Connect UI
 * shows no other, and a start for another one (a crafted request) is refused here too.
 */
export function assertProviderOffered(session: SessionInfo, providerId: ProviderId): void {
  const only = session.intent.providerId;
  if (only !== null && only !== providerId) {
    throw new PlugboardError('FORBIDDEN', `This connect link is for ${only} only.`);
  }
}
