import {
  parseStoredCredentials,
  serializeCredentials,
  tokenSetOf,
  typedCredentials,
  type Credentials,
  type TokenSet,
} from '@plugboard/providers';
import { aadFor, open, seal, type Keyring } from '../crypto';

/**
 * Credentials as sealed in `connections.credentials_enc`: each mode's own typed shape (see
 * packages/providers/src/modes/stored-credentials.ts, which also reads rows written before modes).
 */
const aad = (connectionId: string) => aadFor('connections', 'credentials', connectionId);

/** Seals a mode's credentials; a bare token set (no `type`) is an OAuth connection's. */
export function sealCredentials(
  keyring: Keyring,
  connectionId: string,
  credentials: Credentials | TokenSet,
): string {
  return seal(keyring, serializeCredentials(typedCredentials(credentials)), aad(connectionId));
}

export function openStoredCredentials(
  keyring: Keyring,
  connectionId: string,
  sealed: string,
): Credentials {
  return parseStoredCredentials(open(keyring, sealed, aad(connectionId)));
}

/** An OAuth connection's token set (throws for a connection of another mode). */
export function openCredentials(keyring: Keyring, connectionId: string, sealed: string): TokenSet {
  const c = openStoredCredentials(keyring, connectionId, sealed);
  const tokens = tokenSetOf(c);
  if (!tokens) throw new Error(`connection ${connectionId} holds ${c.type} credentials`);
  return tokens;
}
