import type { TokenSet } from '@plugboard/providers';
import { aadFor, open, seal, type Keyring } from '../crypto';

/** Credentials as sealed in `connections.credentials_enc`. */
interface StoredCredentials {
  accessToken: string;
  refreshToken: string | null;
  tokenType: string;
  expiresAt: string | null;
  scopes: string[];
  raw: Record<string, unknown>;
}

const aad = (connectionId: string) => aadFor('connections', 'credentials', connectionId);

export function sealCredentials(keyring: Keyring, connectionId: string, tokens: TokenSet): string {
  const stored: StoredCredentials = {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    tokenType: tokens.tokenType,
    expiresAt: tokens.expiresAt?.toISOString() ?? null,
    scopes: tokens.scopes,
    raw: tokens.raw,
  };
  return seal(keyring, JSON.stringify(stored), aad(connectionId));
}

export function openCredentials(keyring: Keyring, connectionId: string, sealed: string): TokenSet {
  const s = JSON.parse(open(keyring, sealed, aad(connectionId))) as StoredCredentials;
  return {
    accessToken: s.accessToken,
    refreshToken: s.refreshToken,
    tokenType: s.tokenType,
    expiresAt: s.expiresAt ? new Date(s.expiresAt) : null,
    scopes: s.scopes,
    raw: s.raw,
  };
}
