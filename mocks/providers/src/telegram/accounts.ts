/**
 * Telegram test accounts. Telegram is not OAuth, so there is no consent page that picks "the"
 * account: the phone number typed (or the account chosen on the scan page) decides. The first
 * account is the personality's default account, so `/__control/accounts` can patch it (even give
 * it a password); the second always has 2FA.
 */
export type TelegramAccount = {
  /** Telegram user ids are int64: a decimal string, like every `long` in this JSON API. */
  userId: string;
  firstName: string;
  lastName: string;
  username: string;
  /** Digits only, no `+`, as Telegram's `user.phone`. */
  phone: string;
  /** The 2FA password, or null for an account without 2FA. Mock-only values. */
  password: string | null;
  passwordHint: string | null;
};

export const defaultTelegramAccount: TelegramAccount = {
  userId: '100000001',
  firstName: 'Ada',
  lastName: 'Lovelace',
  username: 'ada',
  phone: '15550000001',
  password: null,
  passwordHint: null,
};

export const twoFactorTelegramAccount: TelegramAccount = {
  userId: '100000002',
  firstName: 'Charles',
  lastName: 'Babbage',
  username: 'babbage',
  phone: '15550000002',
  password: 'hunter2',
  passwordHint: 'the usual',
};

/**
 * Digits of a phone number as people type it (`+1 555-000-0001`, or ` 15550000001` when a `+`
 * in a query string was decoded as a space); undefined when it cannot be one (E.164: ≤ 15 digits).
 */
export function normalizePhone(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim().replace(/^\+/, '');
  if (!/^[\d\s().-]+$/.test(trimmed)) return undefined;
  const digits = trimmed.replace(/\D/g, '');
  return /^\d{7,15}$/.test(digits) ? digits : undefined;
}

export function displayName(account: TelegramAccount): string {
  return `${account.firstName} ${account.lastName}`.trim();
}

/** The `user` constructor, snake_case like the TL schema, for the account that is logged in. */
export function userObject(account: TelegramAccount) {
  return {
    _: 'user',
    id: account.userId,
    self: true,
    first_name: account.firstName,
    last_name: account.lastName,
    username: account.username,
    phone: account.phone,
  };
}

/** The accounts that exist, read fresh each time so control-API patches apply at once. */
export class AccountDirectory {
  readonly #current: () => TelegramAccount;

  constructor(current: () => TelegramAccount) {
    this.#current = current;
  }

  all(): TelegramAccount[] {
    return [this.#current(), twoFactorTelegramAccount];
  }

  byPhone(phone: string): TelegramAccount | undefined {
    return this.all().find((a) => normalizePhone(a.phone) === phone);
  }

  byId(userId: string): TelegramAccount | undefined {
    return this.all().find((a) => a.userId === userId);
  }
}
