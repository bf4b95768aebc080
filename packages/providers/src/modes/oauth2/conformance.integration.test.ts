/**
 * The conformance suite: every OAuth provider of the catalog (a new folder joins by itself)
 * through the same checks against the mock provider server, which is an independent
 * implementation written from the providers' documentation (mocks/providers/README.md).
 * A new provider is done when its rows pass.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oauth2Mode } from '.';
import { oauthProviders, startMockHarness, type MockHarness } from './mock-harness';

let mock: MockHarness;
beforeAll(async () => {
  mock = await startMockHarness();
});
afterAll(async () => mock?.close());
beforeEach(async () => mock.reset());

describe.each(oauthProviders)('$id', (provider) => {
  it('a refresh answer without refresh_token keeps the stored one, and the next refresh works', async () => {
    const { credentials, ctx } = await mock.connect(provider);
    if (credentials.refreshToken === null) {
      // Nothing to keep: this provider (in its default configuration) issues no refresh token.
      expect(oauth2Mode.refreshable(credentials)).toBe(false);
      return;
    }
    await mock.fault(provider, 'omit_refresh_token');
    const first = await oauth2Mode.refresh(provider, credentials, ctx);
    // The mock really left it out, and the stored one survived.
    expect(first.raw.refresh_token).toBeUndefined();
    expect(first.refreshToken).toBe(credentials.refreshToken);
    expect(first.accessToken).not.toBe(credentials.accessToken);
    const second = await oauth2Mode.refresh(provider, first, ctx);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).toBeTruthy();
  });
});
