import { bench, describe } from 'vitest';
import {
  aadFor,
  generateKeySpec,
  open,
  parseKeyring,
  randomSecret,
  seal,
  sha256Hex,
} from './crypto';

const keyring = parseKeyring(generateKeySpec());
const aad = aadFor('connections', 'credentials', 'conn_bench');
// A realistic credentials blob: tokens plus the provider's raw token response.
const credentials = JSON.stringify({
  accessToken: randomSecret(48),
  refreshToken: randomSecret(48),
  raw: { pad: 'x'.repeat(1500) },
});
const sealed = seal(keyring, credentials, aad);

describe('crypto', () => {
  bench('seal 2 KB credentials (AES-256-GCM)', () => {
    seal(keyring, credentials, aad);
  });
  bench('open 2 KB credentials', () => {
    open(keyring, sealed, aad);
  });
  bench('sha256 of a state', () => {
    sha256Hex(randomSecret(32));
  });
});
