import { PlugboardError } from '@plugboard/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getProvider } from '../catalog';
import { oauth2Mode } from '../modes/oauth2';
import { startMockHarness, type MockHarness } from '../modes/oauth2/mock-harness';

// Against the mock's Calendly (mocks/providers/src/calendly, written from Calendly's docs).
const calendly = getProvider('calendly');
let mock: MockHarness;
beforeAll(async () => {
  mock = await startMockHarness();
});
afterAll(async () => mock?.close());
beforeEach(async () => mock.reset());

describe('Calendly against the mock', () => {
  it('asks for its scopes explicitly, with PKCE S256, and can read /users/me', async () => {
    const { authorizationUrl, account } = await mock.connect(calendly);
    expect(authorizationUrl.searchParams.get('scope')).toBe(
      'users:read event_types:read scheduled_events:read',
    );
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(account.label).toContain('Ada Lovelace');
  });

  it('a 429 from the token rate limit (8 per user per minute) is PROVIDER_UNAVAILABLE with the wait', async () => {
    let { credentials } = await mock.connect(calendly);
    const { ctx } = await mock.connect(calendly);
    // Two exchanges so far; six refreshes reach the limit of eight.
    for (let i = 0; i < 6; i += 1)
      credentials = await oauth2Mode.refresh(calendly, credentials, ctx);
    const limited = await oauth2Mode.refresh(calendly, credentials, ctx).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(PlugboardError);
    expect(limited).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    const wait = (limited as PlugboardError & { retryAfterSeconds?: number }).retryAfterSeconds;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    // Refused calls spend nothing: after the window the same refresh token works.
    await mock.control('POST', '/clock/advance', { seconds: 61 });
    expect((await oauth2Mode.refresh(calendly, credentials, ctx)).accessToken).toBeTruthy();
  });
});
