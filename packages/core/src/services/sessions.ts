import { ID_PREFIX, PlugboardError, type ProviderId, type SessionDto } from '@plugboard/contracts';
import { ConnectToken, Session, type Em } from '@plugboard/db';
import { newId, randomSecret, sha256Hex } from '../crypto';
import type { CoreDeps } from '../deps';
import { boolOf, dateOf, jsonOf, readRow, textOf } from './raw-rows';

/** What a request knows about its browser session. */
export interface SessionInfo {
  id: string;
  externalUserId: string;
  allowedOrigins: string[];
  demo: boolean;
  /** BCP 47 tag from the connect token, or null. */
  locale: string | null;
  expiresAt: Date;
  /** The connect token's intent (a one-provider link, redirect mode, the header's label). */
  intent: SessionIntent;
}

export interface SessionIntent {
  providerId: ProviderId | null;
  successRedirectUrl: string | null;
  errorRedirectUrl: string | null;
  endUserLabel: string | null;
  /** A reconnect link: the connection every flow of this session renews, or null. */
  reconnectConnectionId: string | null;
}

const NO_INTENT: SessionIntent = {
  providerId: null,
  successRedirectUrl: null,
  errorRedirectUrl: null,
  endUserLabel: null,
  reconnectConnectionId: null,
};

export const DEMO_EXTERNAL_USER_ID = 'demo-user';

export async function createSession(
  em: Em,
  deps: CoreDeps,
  args: {
    externalUserId: string;
    allowedOrigins: string[];
    demo: boolean;
    locale?: string | null;
    intent?: SessionIntent;
  },
): Promise<{ cookieValue: string; session: SessionInfo }> {
  const cookieValue = randomSecret(32);
  const now = deps.clock.now();
  const row = em.create(Session, {
    id: newId('sess_'),
    tokenHash: sha256Hex(cookieValue),
    externalUserId: args.externalUserId,
    allowedOrigins: args.allowedOrigins,
    demo: args.demo,
    locale: args.locale ?? null,
    ...(args.intent ?? NO_INTENT),
    expiresAt: new Date(now.getTime() + deps.settings.sessionTtlSeconds * 1000),
    createdAt: now,
  });
  await em.flush();
  return { cookieValue, session: toInfo(row) };
}

export async function resolveSession(
  em: Em,
  deps: CoreDeps,
  cookieValue: string | undefined,
): Promise<SessionInfo | null> {
  if (!cookieValue || cookieValue.length > 100) return null;
  // A plain select (every Connect UI request makes it): no entity is needed to read a session.
  const row = await readRow(
    em,
    'select id, external_user_id, allowed_origins, demo, locale, expires_at, provider_id, ' +
      'success_redirect_url, error_redirect_url, end_user_label, reconnect_connection_id ' +
      'from sessions where token_hash = ?',
    [sha256Hex(cookieValue)],
  );
  const expiresAt = dateOf(row?.expires_at);
  if (!row || !expiresAt || expiresAt.getTime() <= deps.clock.now().getTime()) return null;
  return toInfo({
    id: String(row.id),
    externalUserId: String(row.external_user_id),
    allowedOrigins: (jsonOf(row.allowed_origins) ?? []) as string[],
    demo: boolOf(row.demo),
    locale: textOf(row.locale),
    expiresAt,
    providerId: textOf(row.provider_id),
    successRedirectUrl: textOf(row.success_redirect_url),
    errorRedirectUrl: textOf(row.error_redirect_url),
    endUserLabel: textOf(row.end_user_label),
    reconnectConnectionId: textOf(row.reconnect_connection_id),
  });
}

export async function deleteSession(em: Em, sessionId: string): Promise<void> {
  await em.nativeDelete(Session, { id: sessionId });
}

/**
 * Exchanges a single-use connect token for a browser session. The token is consumed by one
 * compare-and-swap, so two tabs opening the same link get one session between them.
 */
export async function exchangeConnectToken(
  em: Em,
  deps: CoreDeps,
  token: string,
): Promise<{ cookieValue: string; session: SessionInfo }> {
  if (!token.startsWith(ID_PREFIX.connectToken) || token.length > 100) {
    throw new PlugboardError('CONNECT_TOKEN_INVALID');
  }
  const now = deps.clock.now();
  const row = await em.findOne(ConnectToken, { tokenHash: sha256Hex(token) });
  if (!row || row.usedAt || row.expiresAt.getTime() <= now.getTime()) {
    throw new PlugboardError('CONNECT_TOKEN_INVALID');
  }
  const claimed = await em.nativeUpdate(
    ConnectToken,
    { id: row.id, usedAt: null },
    { usedAt: now },
  );
  if (claimed !== 1) throw new PlugboardError('CONNECT_TOKEN_INVALID');
  return createSession(em, deps, {
    externalUserId: row.externalUserId,
    allowedOrigins: row.allowedOrigins,
    demo: false,
    locale: row.locale ?? null,
    intent: {
      providerId: (row.providerId as ProviderId | null | undefined) ?? null,
      successRedirectUrl: row.successRedirectUrl ?? null,
      errorRedirectUrl: row.errorRedirectUrl ?? null,
      endUserLabel: row.endUserLabel ?? null,
      reconnectConnectionId: row.reconnectConnectionId ?? null,
    },
  });
}

export function toSessionDto(s: SessionInfo): SessionDto {
  return {
    externalUserId: s.externalUserId,
    expiresAt: s.expiresAt.toISOString(),
    demo: s.demo,
    locale: s.locale,
    endUserLabel: s.intent.endUserLabel,
    allowedOrigins: s.allowedOrigins,
    providerId: s.intent.providerId,
    successRedirectUrl: s.intent.successRedirectUrl,
    errorRedirectUrl: s.intent.errorRedirectUrl,
    reconnectConnectionId: s.intent.reconnectConnectionId as SessionDto['reconnectConnectionId'],
  };
}

type SessionColumns = Pick<
  Session,
  | 'id'
  | 'externalUserId'
  | 'allowedOrigins'
  | 'demo'
  | 'locale'
  | 'expiresAt'
  | 'providerId'
  | 'successRedirectUrl'
  | 'errorRedirectUrl'
  | 'endUserLabel'
  | 'reconnectConnectionId'
>;

function toInfo(row: SessionColumns): SessionInfo {
  return {
    id: row.id,
    externalUserId: row.externalUserId,
    allowedOrigins: row.allowedOrigins,
    demo: row.demo,
    locale: row.locale ?? null,
    expiresAt: row.expiresAt,
    intent: {
      providerId: (row.providerId as ProviderId | null | undefined) ?? null,
      successRedirectUrl: row.successRedirectUrl ?? null,
      errorRedirectUrl: row.errorRedirectUrl ?? null,
      endUserLabel: row.endUserLabel ?? null,
      reconnectConnectionId: row.reconnectConnectionId ?? null,
    },
  };
}
