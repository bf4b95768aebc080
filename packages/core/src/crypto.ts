import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * The one crypto module. Credentials and PKCE verifiers are sealed with AES-256-GCM; the
 * ciphertext names the key that sealed it (so keys can rotate) and is bound by AAD to the row
 * and column it belongs to (so a ciphertext copied into another row does not decrypt).
 * Format: `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts).
 */
export interface Keyring {
  /** Key id new ciphertexts are sealed with. */
  currentKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Parses `id:base64key[,id:base64key…]`; the first key seals, all of them open. Each key must be
 * 32 bytes (AES-256).
 */
export function parseKeyring(spec: string): Keyring {
  const keys = new Map<string, Buffer>();
  let currentKeyId: string | undefined;
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const idx = part.indexOf(':');
    if (idx <= 0) throw new Error('encryption key entries must look like "<keyId>:<base64 key>"');
    const id = part.slice(0, idx);
    const key = Buffer.from(part.slice(idx + 1), 'base64');
    if (!KEY_ID.test(id)) throw new Error(`encryption key id "${id}" must match ${KEY_ID}`);
    if (key.length !== 32) throw new Error(`encryption key "${id}" must be 32 bytes of base64`);
    if (keys.has(id)) throw new Error(`encryption key id "${id}" is listed twice`);
    keys.set(id, key);
    currentKeyId ??= id;
  }
  if (!currentKeyId) throw new Error('no encryption key given');
  return { currentKeyId, keys };
}

export function generateKeySpec(keyId = 'k1'): string {
  return `${keyId}:${randomBytes(32).toString('base64')}`;
}

/** Associated data binding a ciphertext to where it is stored. */
export function aadFor(table: string, column: string, rowId: string): string {
  return `plugboard:${table}.${column}:${rowId}`;
}

export function seal(keyring: Keyring, plaintext: string, aad: string): string {
  const key = keyring.keys.get(keyring.currentKeyId);
  if (!key) throw new Error('current encryption key missing');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return ['v1', keyring.currentKeyId, b64(iv), b64(ct), b64(tag)].join('.');
}

export class DecryptionError extends Error {
  constructor(reason: string) {
    super(`could not decrypt: ${reason}`);
    this.name = 'DecryptionError';
  }
}

export function open(keyring: Keyring, sealed: string, aad: string): string {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== 'v1') throw new DecryptionError('unknown format');
  const [, keyId, iv, ct, tag] = parts as [string, string, string, string, string];
  const key = keyring.keys.get(keyId);
  if (!key) throw new DecryptionError(`key "${keyId}" is not configured`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(ct, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new DecryptionError('authentication failed (wrong key, row or tampered data)');
  }
}

/**
 * Pagination cursors are sealed like credentials (AES-256-GCM with the current key): opaque, so a
 * client cannot read or build a position, and authenticated, so a forged or edited cursor is
 * refused before any of it reaches a query. `scope` names the listing the cursor belongs to.
 */
export function sealCursor(keyring: Keyring, scope: string, position: unknown): string {
  return seal(keyring, JSON.stringify(position), `plugboard:cursor:${scope}`);
}

/** The position inside a cursor from `sealCursor`, or undefined if it is not one of ours. */
export function openCursor(keyring: Keyring, scope: string, cursor: string): unknown {
  try {
    return JSON.parse(open(keyring, cursor, `plugboard:cursor:${scope}`)) as unknown;
  } catch {
    return undefined;
  }
}

/** Which key sealed a value (for re-encryption after rotation). */
export function sealedKeyId(sealed: string): string | undefined {
  return sealed.split('.')[1];
}

/** Tokens we issue carry ≥256 random bits, so a plain SHA-256 is a safe lookup hash. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Public ids: prefix + 128 random bits. */
export function newId(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('base64url')}`;
}

/** RFC 7636 S256: a 43-character verifier from 32 random bytes. */
export function createPkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier, 'ascii').digest('base64url');
  return { verifier, challenge };
}

function b64(buf: Buffer): string {
  return buf.toString('base64url');
}
