import { describe, expect, it } from 'vitest';
import {
  aadFor,
  createPkcePair,
  DecryptionError,
  generateKeySpec,
  newId,
  open,
  openCursor,
  parseKeyring,
  randomSecret,
  seal,
  sealCursor,
  sealedKeyId,
} from './crypto';
import { createHash } from 'node:crypto';

describe('sealing credentials', () => {
  const keyring = parseKeyring(generateKeySpec('k1'));
  const aad = aadFor('connections', 'credentials', 'conn_1');

  it('round-trips and never repeats a ciphertext', () => {
    const a = seal(keyring, 'secret-token', aad);
    const b = seal(keyring, 'secret-token', aad);
    expect(a).not.toBe(b);
    expect(a).not.toContain('secret-token');
    expect(a.startsWith('v1.k1.')).toBe(true);
    expect(open(keyring, a, aad)).toBe('secret-token');
  });

  it('binds a ciphertext to its row and column', () => {
    const sealed = seal(keyring, 'secret-token', aad);
    expect(() => open(keyring, sealed, aadFor('connections', 'credentials', 'conn_2'))).toThrow(
      DecryptionError,
    );
    expect(() => open(keyring, sealed, aadFor('auth_attempts', 'pkce_verifier', 'conn_1'))).toThrow(
      DecryptionError,
    );
  });

  it('detects tampering in any part', () => {
    const sealed = seal(keyring, 'secret-token', aad);
    const parts = sealed.split('.');
    for (const i of [2, 3, 4]) {
      const copy = [...parts];
      const chars = copy[i]!.split('');
      chars[0] = chars[0] === 'A' ? 'B' : 'A';
      copy[i] = chars.join('');
      expect(() => open(keyring, copy.join('.'), aad)).toThrow(DecryptionError);
    }
    expect(() => open(keyring, 'garbage', aad)).toThrow(DecryptionError);
  });

  it('rotates keys: new values use the first key, old ones still open', () => {
    const old = parseKeyring(generateKeySpec('k1'));
    const sealedWithOld = seal(old, 'v', aad);
    const oldSpec = `k1:${old.keys.get('k1')!.toString('base64')}`;
    const rotated = parseKeyring(`${generateKeySpec('k2')},${oldSpec}`);
    expect(open(rotated, sealedWithOld, aad)).toBe('v');
    expect(sealedKeyId(seal(rotated, 'v', aad))).toBe('k2');
    // A key that is gone cannot open what it sealed, and says which key is missing.
    expect(() => open(parseKeyring(generateKeySpec('k2')), sealedWithOld, aad)).toThrow(/k1/);
  });

  it('refuses malformed key specs with an actionable message', () => {
    expect(() => parseKeyring('')).toThrow(/no encryption key/);
    expect(() => parseKeyring('k1:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parseKeyring('nokey')).toThrow(/<keyId>:<base64 key>/);
    const k = generateKeySpec('k1');
    expect(() => parseKeyring(`${k},${k}`)).toThrow(/twice/);
  });
});

describe('random values', () => {
  it('PKCE: a 43-character verifier and its S256 challenge', () => {
    const { verifier, challenge } = createPkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });

  it('states and ids do not collide over many draws', () => {
    const states = new Set(Array.from({ length: 10_000 }, () => randomSecret(32)));
    expect(states.size).toBe(10_000);
    expect(randomSecret(32)).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits
    expect(newId('att_')).toMatch(/^att_[A-Za-z0-9_-]{22}$/);
  });
});

describe('pagination cursors', () => {
  const keyring = parseKeyring(generateKeySpec('k1'));

  it('are opaque and open only unchanged, for their own listing and keys', () => {
    const cursor = sealCursor(keyring, 'list', [1767225600000, 'conn_abc']);
    expect(cursor).not.toContain('conn_abc');
    expect(openCursor(keyring, 'list', cursor)).toEqual([1767225600000, 'conn_abc']);
    const parts = cursor.split('.');
    const ct = parts[3]!;
    parts[3] = (ct[0] === 'A' ? 'B' : 'A') + ct.slice(1);
    expect(openCursor(keyring, 'list', parts.join('.'))).toBeUndefined();
    expect(openCursor(keyring, 'other', cursor)).toBeUndefined();
    expect(openCursor(parseKeyring(generateKeySpec('k1')), 'list', cursor)).toBeUndefined();
    expect(openCursor(keyring, 'list', 'garbage')).toBeUndefined();
  });
});
