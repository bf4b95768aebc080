import { describe, expect, it } from 'vitest';
import { errorCodeOf, errorTextFor, inputNameOf, retryAfterSecondsOf } from './errors';

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

describe('inputNameOf', () => {
  it('names the provider input an error is about', () => {
    const error = {
      data: { code: 'INPUT_INVALID', issues: [{ path: 'inputs.shop', message: 'x' }] },
    };
    expect(inputNameOf(error)).toBe('shop');
  });

  it.each([
    ['no data', new Error('boom')],
    ['no issues', { data: { code: 'INTERNAL' } }],
    ['an issue about something else', { data: { issues: [{ path: 'providerId', message: 'x' }] } }],
    ['malformed issues', { data: { issues: 'inputs.shop' } }],
    ['null', null],
  ])('is null for %s', (_what, error) => {
    expect(inputNameOf(error)).toBeNull();
  });
});
