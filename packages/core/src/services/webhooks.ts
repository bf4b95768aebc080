// Webhooks, split by responsibility (the public names stay importable from here):
// endpoints (where to send), outbox (what to send, written with each change), delivery (sending
// it: claim, attempt, retry) and send (the one HTTP call).
export {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
} from './webhooks/endpoints';
export { connectionEventData, enqueueEvent, listWebhookDeliveries } from './webhooks/outbox';
export { deliverDueWebhooks, WEBHOOK_LEASE_MS } from './webhooks/delivery';
export {
  postWebhook,
  WEBHOOK_TIMEOUT_MS,
  type WebhookRequest,
  type WebhookResponse,
} from './webhooks/send';
