import type { FastifyReply } from 'fastify';
import type { ShopifyAccount } from './account';
import { shopId } from './shop';

/** `/admin/oauth/access_token`'s error body. */
export function oauthError(
  reply: FastifyReply,
  status: number,
  error: string,
  description: string,
) {
  return reply.status(status).send({ error, error_description: description });
}

/** The Admin API's error body: one string under `errors`. */
export function apiErrors(reply: FastifyReply, status: number, errors: string) {
  return reply.status(status).send({ errors });
}

export const INVALID_TOKEN =
  '[API] Invalid API key or access token (unrecognized login or wrong password)';

/** A fixed creation time (2023-11-14), so shop objects are identical run to run. */
const CREATED_AT = '2023-11-14T22:13:20Z';

/** `GET /admin/api/{version}/shop.json`'s `shop`, trimmed to the commonly read fields. */
export function shopObject(shop: string, account: ShopifyAccount) {
  return {
    id: shopId(shop),
    name: account.shopName,
    email: account.email,
    domain: shop,
    myshopify_domain: shop,
    shop_owner: `${account.ownerFirstName} ${account.ownerLastName}`,
    customer_email: account.email,
    country_code: account.countryCode,
    currency: account.currency,
    iana_timezone: account.ianaTimezone,
    plan_name: account.planName,
    primary_locale: 'en',
    created_at: CREATED_AT,
    updated_at: CREATED_AT,
  };
}

/** The staff user behind an online token (`associated_user`). */
export function associatedUser(account: ShopifyAccount) {
  return {
    id: account.userId,
    first_name: account.ownerFirstName,
    last_name: account.ownerLastName,
    email: account.email,
    email_verified: true,
    account_owner: true,
    locale: 'en',
    collaborator: false,
  };
}
