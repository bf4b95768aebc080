import { ApiAccessToken, ApiClient } from './api-client.entity';
import { ApiKey } from './api-key.entity';
import { AuditEntry } from './audit-entry.entity';
import { AuthAttempt } from './auth-attempt.entity';
import { ConnectToken } from './connect-token.entity';
import { Connection } from './connection.entity';
import { ConnectFlow } from './connect-flow.entity';
import { Integration } from './integration.entity';
import { IdempotencyRecord } from './idempotency-record.entity';
import { Session } from './session.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export * from './api-client.entity';
export * from './api-key.entity';
export * from './audit-entry.entity';
export * from './auth-attempt.entity';
export * from './connect-token.entity';
export * from './connection.entity';
export * from './connect-flow.entity';
export * from './integration.entity';
export * from './idempotency-record.entity';
export * from './session.entity';
export * from './webhook-delivery.entity';
export * from './webhook-endpoint.entity';

export const entities = [
  ApiKey,
  AuthAttempt,
  ConnectToken,
  Connection,
  Session,
  WebhookEndpoint,
  WebhookDelivery,
  ConnectFlow,
  AuditEntry,
  ApiClient,
  ApiAccessToken,
  Integration,
  IdempotencyRecord,
];
