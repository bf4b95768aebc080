/**
 * The person a consent page signs in as. Accounts are flat records so that the control API can
 * patch any field generically and check it against the personality's default account.
 */
export type AccountValue = string | number | boolean | null;
export type Account = Readonly<Record<string, AccountValue>>;

export type AccountPatchResult =
  { ok: true; patch: Record<string, AccountValue> } | { ok: false; message: string };

/** Accepts only fields the default account has, with a value of the same type (or null). */
export function parseAccountPatch(defaults: Account, value: unknown): AccountPatchResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: '"account" must be an object.' };
  }
  const patch: Record<string, AccountValue> = {};
  for (const [key, field] of Object.entries(value)) {
    if (!Object.hasOwn(defaults, key)) {
      const known = Object.keys(defaults).join(', ');
      return { ok: false, message: `Unknown account field "${key}"; known fields: ${known}.` };
    }
    const expected = defaults[key];
    const typeMatches =
      field === null || expected === null
        ? field === null || ['string', 'number', 'boolean'].includes(typeof field)
        : typeof field === typeof expected;
    if (!typeMatches) {
      return { ok: false, message: `Account field "${key}" must be a ${typeof expected}.` };
    }
    patch[key] = field as AccountValue;
  }
  return { ok: true, patch };
}

/** Per-provider patches over the default account; they last until the next reset. */
export class AccountOverrides {
  #patches = new Map<string, Record<string, AccountValue>>();

  set(provider: string, patch: Record<string, AccountValue>): void {
    this.#patches.set(provider, patch);
  }

  current<T extends Account>(provider: string, defaults: T): T {
    return { ...defaults, ...this.#patches.get(provider) };
  }

  reset(): void {
    this.#patches = new Map();
  }
}
