import {
  PlugboardError,
  type CreateWebhookInput,
  type CreatedWebhookDto,
  type WebhookEndpointDto,
  type WebhookEventType,
} from '@plugboard/contracts';
import { WebhookDelivery, WebhookEndpoint, type Em } from '@plugboard/db';
import { randomBytes } from 'node:crypto';
import { aadFor, newId, seal } from '../../crypto';
import type { CoreDeps } from '../../deps';
import { endpointAudit, recordAudit } from '../audit';
import { isBlockedPort } from './blocked-ports';
import { assertWebhookUrlAllowed, egressPolicy } from '../webhook-egress';

/** Webhook endpoints: where the host wants events sent, each with its own signing secret. */

export const secretAad = (endpointId: string) => aadFor('webhook_endpoints', 'secret', endpointId);

function toEndpointDto(e: WebhookEndpoint): WebhookEndpointDto {
  return {
    id: e.id,
    url: e.url,
    events: e.events as WebhookEventType[],
    createdAt: e.createdAt.toISOString(),
  };
}

export async function createWebhookEndpoint(
  em: Em,
  deps: CoreDeps,
  input: CreateWebhookInput,
  /** Who registers it, for the audit log (an API key id). */
  actor = 'system',
): Promise<CreatedWebhookDto> {
  const url = new URL(input.url);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !loopback && !deps.settings.allowInsecureRedirects) {
    throw new PlugboardError('VALIDATION_FAILED', 'Webhook URLs must use https.');
  }
  await assertWebhookUrlAllowed(input.url, egressPolicy(deps));
  if (isBlockedPort(url)) {
    throw new PlugboardError(
      'VALIDATION_FAILED',
      `Webhook URLs cannot use port ${url.port}: HTTP clients refuse it (a "bad port" in the Fetch standard). Use 443 or another port.`,
      { field: 'url' },
    );
  }
  const id = newId('whe_');
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const row = em.create(WebhookEndpoint, {
    id,
    url: input.url,
    secretEnc: seal(deps.keyring, secret, secretAad(id)),
    events: [...new Set(input.events ?? [])],
    createdAt: deps.clock.now(),
  });
  recordAudit(em, deps, endpointAudit('webhook_endpoint.created', id, actor, url));
  await em.flush();
  return { ...toEndpointDto(row), secret };
}

export async function listWebhookEndpoints(em: Em): Promise<WebhookEndpointDto[]> {
  return (await em.find(WebhookEndpoint, {}, { orderBy: { createdAt: 'asc' } })).map(toEndpointDto);
}

/** Deletes the endpoint and whatever was still waiting to be sent to it. */
export async function deleteWebhookEndpoint(
  em: Em,
  id: string,
  /** Who removes it, for the audit log (an API key id) — with `deps` for its clock. */
  audit?: { deps: Pick<CoreDeps, 'clock'>; actor: string },
): Promise<{ id: string }> {
  const removed = await em.transactional(async (tx) => {
    await tx.nativeDelete(WebhookDelivery, { endpointId: id, status: 'pending' });
    const n = await tx.nativeDelete(WebhookEndpoint, { id });
    if (n === 1 && audit)
      recordAudit(tx, audit.deps, endpointAudit('webhook_endpoint.deleted', id, audit.actor));
    return n;
  });
  if (removed !== 1) throw new PlugboardError('NOT_FOUND', 'That webhook endpoint does not exist.');
  return { id };
}
