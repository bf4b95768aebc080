import { z } from 'zod';

/**
 * Provider-side facts about a connected account, typed per provider (never a loose record).
 * The `providerId` discriminates the union.
 */
export const NotionMetadataSchema = z.object({
  providerId: z.literal('notion'),
  workspaceId: z.string(),
  workspaceName: z.string().nullable(),
  workspaceIcon: z.string().nullable(),
  botId: z.string(),
  ownerUserId: z.string().nullable(),
  ownerEmail: z.string().nullable(),
  ownerName: z.string().nullable(),
});
export type NotionMetadata = z.infer<typeof NotionMetadataSchema>;

/** A Stripe Connect (Standard) account. */
export const StripeMetadataSchema = z.object({
  providerId: z.literal('stripe'),
  /** `acct_…`, also what `Stripe-Account` headers and deauthorization take. */
  stripeUserId: z.string(),
  displayName: z.string().nullable(),
  businessName: z.string().nullable(),
  email: z.string().nullable(),
  country: z.string().nullable(),
  accountType: z.string().nullable(),
  chargesEnabled: z.boolean().nullable(),
  livemode: z.boolean(),
  /** `read_only` or `read_write`. */
  scope: z.string().nullable(),
  publishableKey: z.string().nullable(),
});
export type StripeMetadata = z.infer<typeof StripeMetadataSchema>;

/** A Shopify store that installed the app (an offline, shop-level grant). */
export const ShopifyMetadataSchema = z.object({
  providerId: z.literal('shopify'),
  /** `<handle>.myshopify.com`: the store's permanent host, where every API call goes. */
  shop: z.string(),
  shopId: z.number(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  /** The store's primary (possibly custom) domain. */
  domain: z.string().nullable(),
  shopOwner: z.string().nullable(),
  countryCode: z.string().nullable(),
  currency: z.string().nullable(),
  timezone: z.string().nullable(),
  planName: z.string().nullable(),
});
export type ShopifyMetadata = z.infer<typeof ShopifyMetadataSchema>;

/** A PayPal user signed in with Log in with PayPal. */
export const PayPalMetadataSchema = z.object({
  providerId: z.literal('paypal'),
  /** The last segment of PayPal's `user_id` URL. */
  userId: z.string(),
  payerId: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  verifiedAccount: z.boolean().nullable(),
});
export type PayPalMetadata = z.infer<typeof PayPalMetadataSchema>;

export const CalendlyMetadataSchema = z.object({
  providerId: z.literal('calendly'),
  /** `https://api.calendly.com/users/<uuid>`, the id Calendly's API filters by. */
  userUri: z.string(),
  organizationUri: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  slug: z.string().nullable(),
  schedulingUrl: z.string().nullable(),
  timezone: z.string().nullable(),
});
export type CalendlyMetadata = z.infer<typeof CalendlyMetadataSchema>;

export const ZoomMetadataSchema = z.object({
  providerId: z.literal('zoom'),
  userId: z.string(),
  /** The Zoom account (organisation) the user belongs to. */
  accountId: z.string().nullable(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  /** 1 basic, 2 licensed, … */
  userType: z.number().nullable(),
  timezone: z.string().nullable(),
  /** The API host Zoom named for this token (regional deployments differ). */
  apiUrl: z.string().nullable(),
});
export type ZoomMetadata = z.infer<typeof ZoomMetadataSchema>;

export const GitHubMetadataSchema = z.object({
  providerId: z.literal('github'),
  userId: z.number(),
  login: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  htmlUrl: z.string().nullable(),
});
export type GitHubMetadata = z.infer<typeof GitHubMetadataSchema>;

export const SlackMetadataSchema = z.object({
  providerId: z.literal('slack'),
  teamId: z.string(),
  teamName: z.string().nullable(),
  teamUrl: z.string().nullable(),
  userId: z.string(),
  userName: z.string().nullable(),
  enterpriseId: z.string().nullable(),
  appId: z.string().nullable(),
});
export type SlackMetadata = z.infer<typeof SlackMetadataSchema>;

export const GoogleDriveMetadataSchema = z.object({
  providerId: z.literal('google-drive'),
  /** Google's stable account id (`sub`). */
  sub: z.string(),
  email: z.string().nullable(),
  emailVerified: z.boolean().nullable(),
  name: z.string().nullable(),
  picture: z.string().nullable(),
  /** The Workspace domain (`hd`); null for a consumer account. */
  hostedDomain: z.string().nullable(),
});
export type GoogleDriveMetadata = z.infer<typeof GoogleDriveMetadataSchema>;

export const HubSpotMetadataSchema = z.object({
  providerId: z.literal('hubspot'),
  /** The HubSpot account (portal) id. */
  hubId: z.number(),
  hubDomain: z.string().nullable(),
  userId: z.number().nullable(),
  userEmail: z.string().nullable(),
  appId: z.number().nullable(),
});
export type HubSpotMetadata = z.infer<typeof HubSpotMetadataSchema>;

export const SalesforceMetadataSchema = z.object({
  providerId: z.literal('salesforce'),
  orgId: z.string(),
  userId: z.string(),
  username: z.string().nullable(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  /** Where this org's REST API lives; every API call goes there, not to the login host. */
  instanceUrl: z.string(),
  /** The identity URL from the token response. */
  identityUrl: z.string().nullable(),
});
export type SalesforceMetadata = z.infer<typeof SalesforceMetadataSchema>;

/** A Telegram user account, signed in through MTProto (phone code or QR login). */
export const TelegramMetadataSchema = z.object({
  providerId: z.literal('telegram'),
  /** Telegram's user id (a TL `long`, kept as a decimal string). */
  userId: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  username: z.string().nullable(),
  /** The account's phone number as Telegram reports it (digits, no `+`). */
  phone: z.string().nullable(),
  /** How the account was signed in. */
  loginMethod: z.enum(['phone', 'qr']),
});
export type TelegramMetadata = z.infer<typeof TelegramMetadataSchema>;

export const ConnectionMetadataSchema = z.discriminatedUnion('providerId', [
  NotionMetadataSchema,
  StripeMetadataSchema,
  ShopifyMetadataSchema,
  PayPalMetadataSchema,
  CalendlyMetadataSchema,
  ZoomMetadataSchema,
  GitHubMetadataSchema,
  SlackMetadataSchema,
  GoogleDriveMetadataSchema,
  HubSpotMetadataSchema,
  SalesforceMetadataSchema,
  TelegramMetadataSchema,
]);
export type ConnectionMetadata = z.infer<typeof ConnectionMetadataSchema>;
