import { z } from 'zod';

/**
 * The one string primitive every input schema is built from. Control characters (Unicode `Cc`:
 * C0 including NUL, tab and newline, DEL, C1) and unpaired surrogates (`Cs`, which only a
 * broken encoder produces) have no place in an id, a URL, a shop domain, a code or a password a
 * person types into one field — and a NUL is not even storable in PostgreSQL text. Refusing
 * them here, first and with `abort`, gives one clear message before any other check runs.
 * `apps/server/src/bad-input.integration.test.ts` and `packages/api/src/input-strings.test.ts`
 * hold every input schema to it.
 */
// With the `u` flag a well-formed surrogate pair is one code point, so `\p{Cs}` only matches a
// lone half.
const UNSAFE_CHARACTER = /[\p{Cc}\p{Cs}]/u;

export const CONTROL_CHARACTERS_MESSAGE =
  'must not contain control characters (such as NUL, tab or a line break) or broken Unicode';

export function hasUnsafeCharacters(value: string): boolean {
  return UNSAFE_CHARACTER.test(value);
}

const refuseUnsafe = { message: CONTROL_CHARACTERS_MESSAGE, abort: true } as const;

/** `z.string()` for input: refuses control characters and unpaired surrogates. */
export function safeString(params?: Parameters<typeof z.string>[0]) {
  return z.string(params).refine((s) => !hasUnsafeCharacters(s), refuseUnsafe);
}

/**
 * `z.url()` for input, with the same refusal checked on the text as sent: zod's URL check would
 * silently drop a tab or line break (as the WHATWG URL parser does) and a NUL would be stored.
 */
export function safeUrl(params: { protocol?: RegExp; error: string; max: number }) {
  const { max, ...url } = params;
  return safeString().max(max).pipe(z.url(url));
}
