import { describe, expect, it } from 'vitest';
import {
  authorize,
  CLIENT_ID,
  CLIENT_SECRET,
  exchange,
  getShop,
  INVALID_TOKEN,
  legacyApp,
  moveClockTo,
  postToken,
  SHOP,
} from './shopify.fixture';
import { expectJsonEqual } from '../testing/harness';

// Expiring offline tokens required of new public apps, and Admin API version fall-forward
// (stores.ts, versions.ts).
describe('shopify: token and API version lifecycle', () => {
  it('refuses a non-expiring token to an app created from 2026-04-01 (every app not marked older)', async () => {
    const response = await postToken(SHOP, {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      code: (await authorize()).get('code'),
    });
    await expectJsonEqual(response, 400, {
      error: 'invalid_request',
      error_description: 'This app must request an expiring offline access token (expiring=1).',
    });
  });

  it('from 2027-01-01 ends the non-expiring tokens of older apps, and issues none', async () => {
    await legacyApp();
    const tokens = await exchange(await authorize(), SHOP, false);
    await moveClockTo(Date.UTC(2027, 0, 1));
    await expectJsonEqual(await getShop(tokens.access_token), 401, INVALID_TOKEN);
    const again = await postToken(SHOP, {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      code: (await authorize()).get('code'),
    });
    expect(again.status).toBe(400);
    // Expiring tokens keep working.
    expect((await getShop((await exchange(await authorize())).access_token)).status).toBe(200);
  });

  it('serves a retired API version as the oldest supported one and says so in the header', async () => {
    // 2028-02-15: 2027-01 retired on 2028-01-01, 2027-04 is the oldest supported, 2028-04 the
    // release candidate.
    await moveClockTo(Date.UTC(2028, 1, 15));
    const token = (await exchange(await authorize())).access_token;
    for (const [asked, served] of [
      ['2025-10', '2027-04'],
      ['2027-01', '2027-04'],
      ['2027-04', '2027-04'],
      ['2028-01', '2028-01'],
      ['2028-04', '2028-04'],
      ['unstable', 'unstable'],
    ]) {
      const response = await getShop(token, SHOP, asked);
      expect(response.status, asked).toBe(200);
      expect(response.headers.get('x-shopify-api-version'), asked).toBe(served);
    }
    await expectJsonEqual(await getShop(token, SHOP, '2028-07'), 404, { errors: 'Not Found' });
  });
});
