import { appSwitch } from '../core/app-switch';
import type { TokenStore } from '../core/grants';
import type { ProviderContext } from '../core/personality';
import type { SalesforceAccount } from './index';

/**
 * Refresh token rotation, an app setting an org turns on
 * (https://help.salesforce.com/s/articleView?id=xcloud.connected_app_refresh_token_rotation.htm&type=5):
 * each refresh answers with a new refresh token and the used one stops working. Off by default,
 * as at Salesforce; `POST /__control/salesforce/apps { clientId, rotateRefreshTokens: true }`
 * turns it on for one app, whose grants then live in the rotating store below.
 */
export function createSalesforceRotation<T>(
  ctx: ProviderContext<SalesforceAccount>,
  make: (rotate: boolean) => TokenStore<T>,
) {
  const rotation = appSwitch(ctx, 'rotateRefreshTokens');
  const stable = make(false);
  const rotatingStore = make(true);
  return {
    rotates: rotation.on,
    /** The store an app's new grants and refreshes use. */
    storeFor: (clientId: string) => (rotation.on(clientId) ? rotatingStore : stable),
    findByAccessToken: (token: string) =>
      stable.findByAccessToken(token) ?? rotatingStore.findByAccessToken(token),
    findByAnyToken: (token: string) =>
      stable.findByAnyToken(token) ?? rotatingStore.findByAnyToken(token),
    revoke: (token: string) => stable.revoke(token) || rotatingStore.revoke(token),
  };
}
