import { describe, expect, it } from 'vitest';
import { useOAuthFlow } from '../testing/harness';

// Notion rotates refresh tokens (notion/token.ts), so only the fault keeps the old one alive.
const flow = useOAuthFlow({
  provider: 'notion',
  authorizePath: '/v1/oauth/authorize',
  tokenPath: '/v1/oauth/token',
  defaults: { response_type: 'code', owner: 'user' },
});

describe('the omit_refresh_token fault', () => {
  it('answers the next refresh without refresh_token and leaves the presented one live', async () => {
    const tokens = await flow.exchange(await flow.authorize(), { redirectUri: flow.redirectUri });
    const refreshToken = tokens.refresh_token!;
    // The code exchange does not use it up: it waits for a refresh.
    await flow.mock.control.fault({
      provider: 'notion',
      endpoint: 'token',
      kind: 'omit_refresh_token',
    });
    const first = await flow.refresh(refreshToken);
    expect(first.access_token).toBeTruthy();
    expect(first.access_token).not.toBe(tokens.access_token);
    expect(first.refresh_token).toBeUndefined();
    // Used up: the next refresh with the same token works and rotates as usual.
    const second = await flow.refresh(refreshToken);
    expect(second.refresh_token).toBeTruthy();
    expect(second.refresh_token).not.toBe(refreshToken);
    await expect(flow.refresh(refreshToken)).rejects.toThrow();
  });
});
