import { randomBytes, randomInt } from 'node:crypto';
import type { MockClock } from '../core/clock';
import type { TelegramAccount } from './accounts';
import { randomLong } from './rpc';
import { createChallenge, createVerifier, verifyProof } from './srp';
import type { SrpChallenge, SrpVerifier } from './srp';

/**
 * Lifetimes on the mock clock. Telegram documents only the login token's ("usually 30
 * seconds"); the code and SRP lifetimes are the mock's choices.
 */
export const CODE_TTL_SECONDS = 300;
export const LOGIN_TOKEN_TTL_SECONDS = 30;
const SRP_TTL_SECONDS = 300;

/**
 * What MTProto ties to the auth key: whether it is logged in, or half-way (code accepted, 2FA
 * password still due). The HTTP emulation's stand-in for the auth key is the session string.
 */
export type SessionStatus =
  | { kind: 'anonymous' }
  | { kind: 'password_needed'; userId: string }
  | { kind: 'authorized'; userId: string };

export interface TelegramSession {
  id: string;
  status: SessionStatus;
  /** The QR login token this session exported last, if any. */
  loginToken: string | undefined;
}

/** A login code "delivered" to a phone: what the phone page and the control inbox show. */
export interface SentCode {
  phone: string;
  code: string;
  phoneCodeHash: string;
  /** Mock-clock milliseconds. */
  sentAt: number;
  expiresAt: number;
  used: boolean;
}

export interface LoginToken {
  token: string;
  sessionId: string;
  apiId: number;
  expiresAt: number;
  /** The user id of the account that approved it ("scanned" it), once approved. */
  acceptedBy: string | undefined;
}

interface PendingSrp {
  sessionId: string;
  userId: string;
  challenge: SrpChallenge;
  expiresAt: number;
}

export type ApproveResult =
  | { ok: true; token: LoginToken }
  | { ok: false; reason: 'unknown' | 'expired' | 'already_accepted' };

export type CheckPasswordResult =
  { ok: true; userId: string } | { ok: false; reason: 'srp_id_invalid' | 'hash_invalid' };

/**
 * All Telegram state: sessions, sent codes (the phones' inboxes), QR login tokens and SRP
 * challenges. Emptied by `/__control/reset`, except password verifiers, which only cache work
 * (100 000 PBKDF2 rounds) and are keyed by the password they were made from.
 */
export class TelegramState {
  readonly #clock: MockClock;
  #sessions = new Map<string, TelegramSession>();
  #codes = new Map<string, SentCode>();
  #inbox = new Map<string, SentCode[]>();
  #loginTokens = new Map<string, LoginToken>();
  #srp = new Map<string, PendingSrp>();
  readonly #verifiers = new Map<string, Promise<SrpVerifier>>();

  constructor(clock: MockClock) {
    this.#clock = clock;
  }

  reset(): void {
    this.#sessions = new Map();
    this.#codes = new Map();
    this.#inbox = new Map();
    this.#loginTokens = new Map();
    this.#srp = new Map();
  }

  // Sessions ---------------------------------------------------------------------------------

  /** A new auth key, as gramjs makes on `connect()`: `1` + base64url, like a StringSession. */
  createSession(): TelegramSession {
    const session: TelegramSession = {
      id: `1${randomBytes(48).toString('base64url')}`,
      status: { kind: 'anonymous' },
      loginToken: undefined,
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  findSession(id: string): TelegramSession | undefined {
    return this.#sessions.get(id);
  }

  /** auth.logOut: the session string stops working altogether. */
  destroySession(id: string): void {
    this.#sessions.delete(id);
    for (const [srpId, pending] of this.#srp) if (pending.sessionId === id) this.#srp.delete(srpId);
  }

  // Login codes ------------------------------------------------------------------------------

  sendCode(phone: string): SentCode {
    const now = this.#clock.now();
    const sent: SentCode = {
      phone,
      code: String(randomInt(0, 100_000)).padStart(5, '0'),
      // Telegram's hashes are short hex strings; random, so one cannot be guessed from another.
      phoneCodeHash: randomBytes(9).toString('hex'),
      sentAt: now,
      expiresAt: now + CODE_TTL_SECONDS * 1000,
      used: false,
    };
    this.#codes.set(sent.phoneCodeHash, sent);
    const inbox = this.#inbox.get(phone) ?? [];
    inbox.push(sent);
    this.#inbox.set(phone, inbox);
    return sent;
  }

  /** Codes sent to a number, oldest first. */
  inbox(phone: string): readonly SentCode[] {
    return this.#inbox.get(phone) ?? [];
  }

  findCode(phoneCodeHash: string): SentCode | undefined {
    return this.#codes.get(phoneCodeHash);
  }

  isExpired(expiresAt: number): boolean {
    return this.#clock.now() >= expiresAt;
  }

  // QR login ---------------------------------------------------------------------------------

  /**
   * The session's login token: the current one while it lives (so a phone that is scanning it
   * does not lose the race against a re-export), else a new one.
   */
  currentLoginToken(session: TelegramSession, apiId: number): LoginToken {
    const existing =
      session.loginToken === undefined ? undefined : this.#loginTokens.get(session.loginToken);
    if (existing !== undefined && !this.isExpired(existing.expiresAt)) return existing;
    const token: LoginToken = {
      token: randomBytes(32).toString('base64url'),
      sessionId: session.id,
      apiId,
      expiresAt: this.#clock.now() + LOGIN_TOKEN_TTL_SECONDS * 1000,
      acceptedBy: undefined,
    };
    // Expired tokens stay known, so approving one says "expired" rather than "invalid".
    this.#loginTokens.set(token.token, token);
    session.loginToken = token.token;
    return token;
  }

  /** The approved token of this session, consumed: the next export starts over. */
  takeAcceptedLoginToken(session: TelegramSession): LoginToken | undefined {
    const token =
      session.loginToken === undefined ? undefined : this.#loginTokens.get(session.loginToken);
    if (token?.acceptedBy === undefined) return undefined;
    this.#loginTokens.delete(token.token);
    session.loginToken = undefined;
    return token;
  }

  /** Tokens waiting to be scanned, oldest first. */
  pendingLoginTokens(): LoginToken[] {
    return [...this.#loginTokens.values()].filter(
      (t) => t.acceptedBy === undefined && !this.isExpired(t.expiresAt),
    );
  }

  /** auth.acceptLoginToken, from whichever "phone" scanned it. */
  approveLoginToken(token: string, userId: string): ApproveResult {
    const found = this.#loginTokens.get(token);
    if (found === undefined) return { ok: false, reason: 'unknown' };
    if (found.acceptedBy !== undefined) return { ok: false, reason: 'already_accepted' };
    if (this.isExpired(found.expiresAt)) return { ok: false, reason: 'expired' };
    found.acceptedBy = userId;
    return { ok: true, token: found };
  }

  // 2FA (SRP) --------------------------------------------------------------------------------

  #verifier(password: string): Promise<SrpVerifier> {
    let verifier = this.#verifiers.get(password);
    if (verifier === undefined) {
      verifier = createVerifier(password);
      this.#verifiers.set(password, verifier);
    }
    return verifier;
  }

  /** account.getPassword: a fresh challenge under a new srp_id (int64, decimal). */
  async startPasswordCheck(
    session: TelegramSession,
    account: TelegramAccount & { password: string },
  ): Promise<{ verifier: SrpVerifier; challenge: SrpChallenge; srpId: string }> {
    const verifier = await this.#verifier(account.password);
    const challenge = createChallenge(verifier);
    const srpId = randomLong();
    this.#srp.set(srpId, {
      sessionId: session.id,
      userId: account.userId,
      challenge,
      expiresAt: this.#clock.now() + SRP_TTL_SECONDS * 1000,
    });
    return { verifier, challenge, srpId };
  }

  /**
   * auth.checkPassword. An srp_id is single use, whatever the outcome, so a wrong guess costs a
   * new account.getPassword (which is what gramjs does before every attempt anyway).
   */
  async checkPassword(
    session: TelegramSession,
    srpId: string,
    account: (userId: string) => TelegramAccount | undefined,
    A: Buffer,
    M1: Buffer,
  ): Promise<CheckPasswordResult> {
    const pending = this.#srp.get(srpId);
    this.#srp.delete(srpId);
    if (
      pending === undefined ||
      pending.sessionId !== session.id ||
      this.isExpired(pending.expiresAt)
    ) {
      return { ok: false, reason: 'srp_id_invalid' };
    }
    const password = account(pending.userId)?.password;
    // The password was removed (control API patch) since getPassword: the challenge is stale.
    if (password === null || password === undefined) return { ok: false, reason: 'srp_id_invalid' };
    const verifier = await this.#verifier(password);
    return verifyProof(verifier, pending.challenge, A, M1)
      ? { ok: true, userId: pending.userId }
      : { ok: false, reason: 'hash_invalid' };
  }
}
