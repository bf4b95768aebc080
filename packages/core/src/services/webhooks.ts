// Webhooks, split by responsibility (the public names stay importable from here):
// endpoints (where to send), outbox (what to send, written with each change), delivery (sending
// it: a bounded concurrent dispatcher with claims, retries and a breaker per endpoint) and send
// (the one HTTP call).
export {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
} from './webhooks/endpoints';
export { connectionEventData, enqueueEvent, listWebhookDeliveries } from './webhooks/outbox';
export {
  DEFAULT_DISPATCHER,
  deliverDueWebhooks,
  WEBHOOK_LEASE_MS,
  WebhookDispatcher,
  type DispatcherOptions,
} from './webhooks/delivery';
export {
  DEFAULT_BREAKER,
  EndpointBreakers,
  type BreakerOptions,
  type BreakerState,
} from './webhooks/breaker';
export {
  postWebhook,
  WEBHOOK_TIMEOUT_MS,
  type WebhookRequest,
  type WebhookResponse,
} from './webhooks/send';
