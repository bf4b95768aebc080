import {
  PlugboardError,
  type IntegrationDto,
  type IntegrationMode,
  type IntegrationSource,
  type ProviderId,
  type UpsertIntegrationInput,
} from '@plugboard/contracts';
import { Integration, type Em } from '@plugboard/db';
import {
  catalog,
  findCatalogEntry,
  getConnectableProvider,
  type CatalogEntry,
  type IntegrationConfig,
} from '@plugboard/providers';
import { aadFor, open, seal, type Keyring } from '../crypto';
import type { CoreDeps } from '../deps';
import { recordAudit } from './audit';
import { integrationRow, type IntegrationColumns } from './integration-row';

/**
 * Each provider's configuration: the environment, then what `server.integrations.upsert` stored,
 * then the default (mock mode with the mock's dev client). Precedence, per value:
 *
 * - mode: `<KEY>_MODE` → live when `<KEY>_CLIENT_ID` + `_CLIENT_SECRET` are set → the stored
 *   mode → live when a client is stored → mock. An OAuth provider is live only with a client.
 * - client id + secret (one pair, never mixed): the environment's → the stored ones; in mock
 *   mode always the mock's dev client.
 * - scopes: the stored override → the provider's default. `enabled`: stored → true.
 *
 * The row is read on every use (a flow start, a callback, a refresh), not cached: it is one
 * primary-key read of a tiny table beside the dozen statements a flow makes anyway, and every
 * instance sees a change — a new secret, a disable — at its next request, with no window in which
 * a disabled provider still starts flows somewhere.
 */

/** What the environment sets for one provider (apps/server/src/env.ts); undefined = unset. */
export interface IntegrationEnv {
  mode: IntegrationMode | undefined;
  /** Only when both `<KEY>_CLIENT_ID` and `<KEY>_CLIENT_SECRET` are set. */
  client: { clientId: string; clientSecret: string } | undefined;
  /** `<KEY>_BASE_URL`: the live base URL instead of the provider's (a sandbox host). */
  baseUrl: string | undefined;
  /**
   * `<KEY>_WEBHOOK_SECRET`: what the provider signs its events with (Stripe, Slack; Shopify signs
   * with the client secret). From the environment only (mock mode has a dev default).
   */
  webhookSecret: string | undefined;
}

/** Where mock mode points for one provider, and the client the mock knows there. */
export interface MockIntegration {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

const secretAad = (providerId: string) => aadFor('integrations', 'client_secret', providerId);

interface Resolved {
  /** Opens the stored secret: only when a call needs it. */
  config(): IntegrationConfig;
  dto: IntegrationDto;
}

function resolve(
  deps: Pick<CoreDeps, 'integrationEnv' | 'mockIntegration' | 'keyring' | 'modes'>,
  entry: CatalogEntry,
  row: IntegrationColumns | null,
): Resolved {
  const env = deps.integrationEnv(entry.id);
  const mock = deps.mockIntegration(entry.id);
  // An app registered at the provider (an OAuth client): its client, mode and scopes are set here.
  const authMode = deps.modes[entry.authMode];
  const oauth = authMode.appClient;
  const stored =
    row?.clientId && row.clientSecretEnc
      ? { clientId: row.clientId, secretEnc: row.clientSecretEnc }
      : null;
  const client: { source: IntegrationSource } | null = env.client
    ? { source: 'env' }
    : stored
      ? { source: 'database' }
      : null;

  let mode: { value: IntegrationMode; source: IntegrationSource };
  if (env.mode) mode = { value: env.mode, source: 'env' };
  else if (oauth && env.client) mode = { value: 'live', source: 'env' };
  else if (row?.mode === 'mock' || row?.mode === 'live')
    mode = { value: row.mode, source: 'database' };
  else if (oauth && stored) mode = { value: 'live', source: 'database' };
  else mode = { value: 'mock', source: 'default' };
  // An OAuth provider without a client cannot go live (as before integrations were stored).
  if (oauth && mode.value === 'live' && !client) mode = { value: 'mock', source: 'default' };

  const live = mode.value === 'live';
  const clientId = live
    ? (env.client?.clientId ?? stored?.clientId ?? '')
    : oauth
      ? mock.clientId
      : '';
  const clientSecret = (): string =>
    live
      ? (env.client?.clientSecret ??
        (stored ? open(deps.keyring, stored.secretEnc, secretAad(entry.id)) : ''))
      : oauth
        ? mock.clientSecret
        : '';
  const defaultScopes = authMode.defaultScopes(entry);
  const scopes = row?.scopes ?? null;

  const config = (): IntegrationConfig => ({
    providerId: entry.id,
    mode: mode.value,
    clientId,
    clientSecret: clientSecret(),
    baseUrl: live ? (env.baseUrl ?? entry.liveBaseUrl) : mock.baseUrl,
    ...(oauth && scopes ? { scopes } : {}),
    ...(env.webhookSecret ? { webhookSecret: env.webhookSecret } : {}),
  });
  const clientSource: IntegrationSource = live ? client!.source : 'default';
  const dto: IntegrationDto = {
    providerId: entry.id,
    name: entry.name,
    authMode: entry.authMode,
    enabled: row ? { value: row.enabled, source: 'database' } : { value: true, source: 'default' },
    mode,
    clientId: oauth ? { value: clientId, source: clientSource } : null,
    clientSecret: oauth ? { set: true, source: clientSource } : null,
    scopes: oauth
      ? scopes
        ? { value: [...scopes], source: 'database' }
        : { value: [...defaultScopes], source: 'default' }
      : null,
    updatedAt: row ? row.updatedAt.toISOString() : null,
  };
  return { config, dto };
}

function entryOrThrow(providerId: string): CatalogEntry {
  const entry = findCatalogEntry(providerId);
  if (!entry) throw new PlugboardError('PROVIDER_UNKNOWN');
  return entry;
}

/**
 * The configuration a flow, refresh or revoke uses for this provider right now. A disabled
 * provider still resolves: its existing connections keep working until deleted.
 */
export async function integrationConfig(
  em: Em,
  deps: CoreDeps,
  providerId: ProviderId | string,
): Promise<IntegrationConfig> {
  const entry = entryOrThrow(providerId);
  return resolve(deps, entry, await integrationRow(em, entry.id)).config();
}

/** Refuses a new flow (connect, reconnect) for a provider turned off: PROVIDER_DISABLED. */
export async function assertProviderEnabled(em: Em, providerId: string): Promise<void> {
  const row = await em.fork().findOne(Integration, { providerId }, { fields: ['enabled'] });
  if (row && !row.enabled) throw disabled(providerId);
}

/**
 * A new flow's configuration, refused with PROVIDER_DISABLED for a provider turned off: the
 * check and the configuration from one read of the row (a flow start read it twice).
 */
export async function enabledIntegrationConfig(
  em: Em,
  deps: CoreDeps,
  providerId: string,
): Promise<IntegrationConfig> {
  const entry = entryOrThrow(providerId);
  const row = await integrationRow(em, entry.id);
  if (row && !row.enabled) throw disabled(entry.id);
  return resolve(deps, entry, row).config();
}

function disabled(providerId: string): PlugboardError {
  const name = findCatalogEntry(providerId)?.name ?? providerId;
  return new PlugboardError(
    'PROVIDER_DISABLED',
    `${name} is turned off for this app, so it cannot be connected now. Choose another provider or ask the administrator of the app.`,
  );
}

/** The providers turned off (`server.integrations.disable`): the Connect UI does not list them. */
export async function disabledProviderIds(em: Em): Promise<Set<string>> {
  const rows = await em.fork().find(Integration, { enabled: false }, { fields: ['providerId'] });
  return new Set(rows.map((r) => r.providerId));
}

const listable = () => catalog.filter((e) => !('comingSoon' in e));

export async function listIntegrations(
  em: Em,
  deps: CoreDeps,
): Promise<{ items: IntegrationDto[] }> {
  const rows = new Map((await em.find(Integration, {})).map((r) => [r.providerId, r]));
  return { items: listable().map((e) => resolve(deps, e, rows.get(e.id) ?? null).dto) };
}

export async function getIntegration(
  em: Em,
  deps: CoreDeps,
  providerId: string,
): Promise<IntegrationDto> {
  const entry = getConnectableProvider(providerId);
  return resolve(deps, entry, await em.findOne(Integration, { providerId: entry.id })).dto;
}

const invalid = (field: string, message: string) =>
  new PlugboardError('VALIDATION_FAILED', message, { field });

type Stored = Pick<Integration, 'enabled' | 'mode' | 'clientId' | 'clientSecretEnc' | 'scopes'>;
const NOTHING_STORED: Stored = {
  enabled: true,
  mode: null,
  clientId: null,
  clientSecretEnc: null,
  scopes: null,
};

/**
 * Writes the provider's row (created if missing: one `insert … on conflict do update`, so two
 * instances writing at once neither fail nor duplicate it) and its audit entry in one
 * transaction; returns what is in effect afterwards.
 */
async function store(
  em: Em,
  deps: CoreDeps,
  entry: CatalogEntry,
  next: Stored,
  audit: Parameters<typeof recordAudit>[2],
): Promise<IntegrationDto> {
  const now = deps.clock.now();
  await em.transactional(async (tx) => {
    await tx
      .createQueryBuilder(Integration)
      .insert({ providerId: entry.id, ...next, createdAt: now, updatedAt: now })
      .onConflict('providerId')
      .merge(['enabled', 'mode', 'clientId', 'clientSecretEnc', 'scopes', 'updatedAt'])
      .execute();
    recordAudit(tx, deps, audit);
  });
  return resolve(deps, entry, await em.fork().findOneOrFail(Integration, { providerId: entry.id }))
    .dto;
}

async function storedOf(em: Em, providerId: string): Promise<Stored> {
  const row = await em.fork().findOne(Integration, { providerId });
  return row
    ? {
        enabled: row.enabled,
        mode: row.mode ?? null,
        clientId: row.clientId ?? null,
        clientSecretEnc: row.clientSecretEnc ?? null,
        scopes: row.scopes ?? null,
      }
    : { ...NOTHING_STORED };
}

/**
 * Stores a partial change (absent = keep, null = clear) and records it in the audit log with the
 * names of the fields changed — never a value of the client or its secret. A change that would
 * leave the provider unusable is refused with VALIDATION_FAILED naming the field, and nothing is
 * written.
 */
export async function upsertIntegration(
  em: Em,
  deps: CoreDeps,
  input: UpsertIntegrationInput,
  actor: string,
): Promise<IntegrationDto> {
  const entry = getConnectableProvider(input.providerId);
  const changed = (Object.keys(input) as (keyof UpsertIntegrationInput)[]).filter(
    (k) => k !== 'providerId' && input[k] !== undefined,
  );
  const mode = deps.modes[entry.authMode];
  if (!mode.appClient) {
    for (const field of ['clientId', 'clientSecret', 'scopes'] as const) {
      if (input[field] !== undefined)
        throw invalid(field, `${entry.name} has no OAuth client: only mode and enabled apply.`);
    }
  }
  const fromEnvironment = mode.modeFromEnvironment;
  if (fromEnvironment && input.mode !== undefined) {
    throw invalid(
      'mode',
      `${entry.name}’s mode follows ${fromEnvironment} in the environment: only enabled applies.`,
    );
  }
  const next = await storedOf(em, entry.id);
  if (input.clientId !== undefined) next.clientId = input.clientId;
  if (input.clientSecret !== undefined) {
    next.clientSecretEnc =
      input.clientSecret === null
        ? null
        : seal(deps.keyring, input.clientSecret, secretAad(entry.id));
  }
  if ((next.clientId === null) !== (next.clientSecretEnc === null)) {
    const missing = next.clientId === null ? 'clientId' : 'clientSecret';
    throw invalid(missing, 'Give clientId and clientSecret together (or clear both with null).');
  }
  if (input.scopes !== undefined)
    next.scopes = input.scopes === null ? null : [...new Set(input.scopes)];
  if (input.mode !== undefined) next.mode = input.mode;
  if (input.enabled !== undefined) next.enabled = input.enabled;
  if (
    mode.appClient &&
    next.mode === 'live' &&
    !next.clientId &&
    !deps.integrationEnv(entry.id).client
  ) {
    throw invalid(
      'mode',
      `Live mode needs ${entry.name}’s OAuth client: give clientId and clientSecret.`,
    );
  }
  return store(em, deps, entry, next, {
    action: 'integration.updated',
    actor,
    targetId: entry.id,
    providerId: entry.id,
    detail: { fields: changed.join(' '), enabled: next.enabled },
  });
}

/** Turns a provider off: gone from the Connect UI, new flows refused, connections kept. */
export async function disableIntegration(
  em: Em,
  deps: CoreDeps,
  providerId: string,
  actor: string,
): Promise<IntegrationDto> {
  const entry = getConnectableProvider(providerId);
  const next = await storedOf(em, entry.id);
  if (!next.enabled) return getIntegration(em, deps, entry.id);
  return store(
    em,
    deps,
    entry,
    { ...next, enabled: false },
    {
      action: 'integration.disabled',
      actor,
      targetId: entry.id,
      providerId: entry.id,
    },
  );
}

/**
 * Key rotation (key-rotation.ts): re-seals stored client secrets not sealed with the current
 * key, each by compare-and-swap on its old ciphertext.
 */
export async function resealIntegrationSecrets(
  em: Em,
  keyring: Keyring,
  stale: (sealed: string | null | undefined) => boolean,
): Promise<number> {
  let count = 0;
  for (const row of await em.fork().find(Integration, { clientSecretEnc: { $ne: null } })) {
    if (!stale(row.clientSecretEnc)) continue;
    const aad = secretAad(row.providerId);
    const next = seal(keyring, open(keyring, row.clientSecretEnc!, aad), aad);
    count += await em.nativeUpdate(
      Integration,
      { providerId: row.providerId, clientSecretEnc: row.clientSecretEnc },
      { clientSecretEnc: next },
    );
  }
  return count;
}
