/** Provider-initiated revocation: each provider's webhook verification (in its folder). */
export * from './shopify/uninstall-webhook';
export * from './stripe/deauthorize-webhook';
export * from './slack/events-webhook';
