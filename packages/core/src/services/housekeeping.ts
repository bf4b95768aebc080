import { AuthAttempt, ConnectToken, Session, TelegramFlow, type Em } from '@plugboard/db';
import type { CoreDeps } from '../deps';

/** Finished attempts stay readable for the result page (and support) this long. */
const ATTEMPT_RETENTION_MS = 24 * 3600 * 1000;

/**
 * Deletes what can no longer be used: expired sessions and connect tokens, and auth attempts a
 * day after they expired. Safe to run from every instance at once (plain deletes by time).
 */
export async function purgeExpired(
  em: Em,
  deps: CoreDeps,
): Promise<{ sessions: number; connectTokens: number; attempts: number; telegramFlows: number }> {
  const now = deps.clock.now();
  const sessions = await em.nativeDelete(Session, { expiresAt: { $lte: now } });
  const connectTokens = await em.nativeDelete(ConnectToken, { expiresAt: { $lte: now } });
  const attempts = await em.nativeDelete(AuthAttempt, {
    expiresAt: { $lte: new Date(now.getTime() - ATTEMPT_RETENTION_MS) },
  });
  // Abandoned Telegram flows still hold a sealed (anonymous) gateway session: gone with the attempts.
  const telegramFlows = await em.nativeDelete(TelegramFlow, {
    expiresAt: { $lte: new Date(now.getTime() - ATTEMPT_RETENTION_MS) },
  });
  return { sessions, connectTokens, attempts, telegramFlows };
}
