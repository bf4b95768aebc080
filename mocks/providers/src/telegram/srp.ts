import { createHash, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * Server side of Telegram's 2FA password check (core.telegram.org/api/srp), algorithm
 * `passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow`. Written from the spec, not
 * from gramjs, so the tests (which compute the client side with gramjs's `computeCheck`) prove the
 * two agree.
 */

const pbkdf2Async = promisify(pbkdf2);

/** Bytes every SRP number is padded to before hashing: the size of p. */
const SIZE = 256;

/**
 * The 2048-bit safe prime Telegram's servers send. gramjs accepts only this p (its
 * `checkPrimeAndGood` compares bytes), so the mock must use it too.
 */
const P_HEX =
  'c71caeb9c6b1c9048e6c522f70f13f73980d40238e3e21c14934d037563d930f' +
  '48198a0aa7c14058229493d22530f4dbfa336f6e0ac925139543aed44cce7c37' +
  '20fd51f69458705ac68cd4fe6b6b13abdc9746512969328454f18faf8c595f64' +
  '2477fe96bb2a941d5bcd1d4ac8cc49880708fa9b378e3c4f3a9060bee67cf9a4' +
  'a4a695811051907e162753b56b0f6b410dba74d8a84b2a14b3144e0ef1284754' +
  'fd17ed950d5965b4b9dd46582db1178d169c6bc465b0d6ff9ca3928fef5b9ae4' +
  'e418fc15e83ebea0f87fa9ff5eed70050ded2849f47bf959d956850ce929851f' +
  '0d8115f635b105ee2e4e15d04b2454bf6f4fadf034b10403119cd8e3b92fcc5b';

export const SRP_P = Buffer.from(P_HEX, 'hex');
export const SRP_G = 3;

const p = BigInt(`0x${P_HEX}`);
const g = BigInt(SRP_G);

function toBigInt(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

/** Big-endian, left-padded to 256 bytes: how every number enters a hash. */
function toBytes(value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(SIZE * 2, '0'), 'hex');
}

function pad(bytes: Buffer): Buffer {
  return bytes.length >= SIZE ? bytes : Buffer.concat([Buffer.alloc(SIZE - bytes.length), bytes]);
}

function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}

/** The spec's range check for g^a and g^b: both they and p minus them must be large. */
function isGoodModExp(value: bigint): boolean {
  const minBits = 2048 - 64;
  return value > 0n && value < p && bitLength(value) >= minBits && bitLength(p - value) >= minBits;
}

/** k = H(p | g), the SRP-6a multiplier. */
const k = toBigInt(sha256(SRP_P, toBytes(g)));

/** What the server stores for an account's password: the salts and the verifier v = g^x. */
export interface SrpVerifier {
  salt1: Buffer;
  salt2: Buffer;
  v: bigint;
}

/** PH2(password, salt1, salt2) from the spec, read as the exponent x. */
async function passwordExponent(password: string, salt1: Buffer, salt2: Buffer): Promise<bigint> {
  const ph1 = sha256(salt2, sha256(salt1, Buffer.from(password, 'utf8'), salt1), salt2);
  const slow = await pbkdf2Async(ph1, salt1, 100_000, 64, 'sha512');
  return toBigInt(sha256(salt2, slow, salt2));
}

/**
 * A verifier with fresh salts. salt1 is 40 bytes because Telegram's salt1 is the server's 8
 * bytes plus the 32 random bytes the client appends when it sets the password.
 */
export async function createVerifier(password: string): Promise<SrpVerifier> {
  const salt1 = randomBytes(40);
  const salt2 = randomBytes(16);
  return { salt1, salt2, v: modPow(g, await passwordExponent(password, salt1, salt2), p) };
}

/** One login attempt's server secret b and the B = k·v + g^b sent as `srp_B`. */
export interface SrpChallenge {
  b: bigint;
  B: Buffer;
}

export function createChallenge(verifier: SrpVerifier): SrpChallenge {
  for (;;) {
    const b = toBigInt(randomBytes(SIZE)) % p;
    const gB = modPow(g, b, p);
    // The client rejects a g^b (which it recovers as B - k·g^x) outside the safe range.
    if (!isGoodModExp(gB)) continue;
    const B = (k * verifier.v + gB) % p;
    if (B > 0n) return { b, B: toBytes(B) };
  }
}

/**
 * Checks the client's `A` and `M1`: S = (A · v^u)^b, K = H(S),
 * M1 = H(H(p) xor H(g) | H(salt1) | H(salt2) | A | B | K).
 */
export function verifyProof(
  verifier: SrpVerifier,
  challenge: SrpChallenge,
  aBytes: Buffer,
  m1: Buffer,
): boolean {
  if (aBytes.length === 0 || aBytes.length > SIZE || m1.length !== 32) return false;
  const A = toBigInt(aBytes);
  if (!isGoodModExp(A)) return false;
  const aForHash = pad(aBytes);
  const u = toBigInt(sha256(aForHash, challenge.B));
  if (u === 0n) return false;
  const S = modPow((A * modPow(verifier.v, u, p)) % p, challenge.b, p);
  const K = sha256(toBytes(S));
  const pHash = sha256(SRP_P);
  const gHash = sha256(toBytes(g));
  const xored = Buffer.from(pHash.map((byte, i) => byte ^ (gHash[i] ?? 0)));
  const expected = sha256(
    xored,
    sha256(verifier.salt1),
    sha256(verifier.salt2),
    aForHash,
    challenge.B,
    K,
  );
  return timingSafeEqual(expected, m1);
}
