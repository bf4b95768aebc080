import { describe, expect, it } from 'vitest';
import { errorCodeOf, errorTextFor, retryAfterSecondsOf } from './errors';

const translate = (id: string) => `[${id}]`;

describe('errorTextFor', () => {
  it("shows the server's English message in English, and translates by code otherwise", () => {
    const server = 'Notion is not available right now. Try again in a few minutes.';
    expect(errorTextFor('en', 'PROVIDER_UNAVAILABLE', server, translate)).toBe(server);
    expect(errorTextFor('de', 'PROVIDER_UNAVAILABLE', server, translate)).toBe(
      '[errors.PROVIDER_UNAVAILABLE]',
    );
    // No message (a `?error=CODE` in the address): the catalog, in English too.
    expect(errorTextFor('en', 'STATE_EXPIRED', null, translate)).toBe('[errors.STATE_EXPIRED]');
  });
});

describe('reading tRPC errors', () => {
  it('takes only known codes and sane waits', () => {
    expect(errorCodeOf({ data: { code: 'FLOOD_WAIT' } })).toBe('FLOOD_WAIT');
    expect(errorCodeOf({ data: { code: 'toString' } })).toBeNull();
    expect(errorCodeOf(new TypeError('fetch failed'))).toBeNull();
    expect(retryAfterSecondsOf({ data: { retryAfterSeconds: 30 } })).toBe(30);
    expect(retryAfterSecondsOf({ data: { retryAfterSeconds: -1 } })).toBeNull();
  });
});
