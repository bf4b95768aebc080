import type { ConnectionDto, DisconnectOutput, ProviderSummary } from '@plugboard/contracts';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { CloseButton } from '../components/close-button';
import { ConnectionList } from '../components/connection-list';
import { ErrorAlert } from '../components/error-alert';
import { ProviderCard } from '../components/provider-card';
import { ProviderSearch } from '../components/provider-search';
import { PendingDialog } from '../components/pending-dialog';
import { embedContext } from '../embed/embed';
import { takeAutostart, useEmbedReport, useOnlyProvider } from '../embed/use-embed';
import { loadFeatureMessages } from '../i18n/i18n';
import { T, useT, useTranslateOr } from '../i18n/react';
import { errorCodeOf, useErrorText } from '../lib/errors';
import { connectionTitle } from '../lib/labels';
import { LazyBoundary, lazyWithPreload } from '../lib/lazy';
import { filterProviders } from '../lib/provider-search';
import { useTRPC } from '../lib/trpc';
import { useStartOAuth } from '../lib/use-start-oauth';

// Telegram's sign-in (phone numbers, QR codes) is most of the page's code and rarely opened:
// it downloads when its button is hovered, focused or pressed, not with the first screen.
const TelegramDialog = lazyWithPreload(() =>
  Promise.all([
    import('../components/telegram/telegram-dialog'),
    loadFeatureMessages('telegram'),
  ]).then(([m]) => ({ default: m.TelegramDialog })),
);

// The form for an API key or bot token, after its provider's Connect button is pressed.
const ApiKeyDialog = lazyWithPreload(() =>
  Promise.all([import('../components/api-key/api-key-dialog'), loadFeatureMessages('apiKey')]).then(
    ([m]) => ({ default: m.ApiKeyDialog }),
  ),
);

// Only after "Disconnect" is pressed.
const DisconnectDialog = lazyWithPreload(() =>
  import('../components/disconnect-dialog').then((m) => ({ default: m.DisconnectDialog })),
);

type Notice =
  | { kind: 'disconnected'; connection: ConnectionDto; revokedAtProvider: boolean }
  | { kind: 'connected'; connection: ConnectionDto };

export function ConnectionsPage() {
  const t = useT();
  const errorText = useErrorText();
  const translateOr = useTranslateOr();
  const trpc = useTRPC();
  const providers = useQuery(trpc.connect.providers.list.queryOptions());
  const connections = useQuery(trpc.connect.connections.list.queryOptions());
  const oauth = useStartOAuth();
  const [toDisconnect, setToDisconnect] = useState<ConnectionDto | null>(null);
  const [telegramOpen, setTelegramOpen] = useState(false);
  const [apiKeyFor, setApiKeyFor] = useState<{
    provider: ProviderSummary;
    reconnectConnectionId?: string;
  } | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [query, setQuery] = useState('');
  const searchInput = useRef<HTMLInputElement>(null);
  const connectionsHeading = useRef<HTMLHeadingElement>(null);
  const onlyProvider = useOnlyProvider();
  const embed = useEmbedReport();

  useEffect(() => {
    // After a disconnect the row whose button opened the dialog is gone, and after a connect
    // the new row is in the list: continue from the list's heading either way.
    if (notice) connectionsHeading.current?.focus();
  }, [notice]);

  const handleDisconnected = (connection: ConnectionDto, result: DisconnectOutput) => {
    setToDisconnect(null);
    setNotice({ kind: 'disconnected', connection, revokedAtProvider: result.revokedAtProvider });
  };

  const openTelegram = () => {
    setNotice(null);
    oauth.reset();
    setTelegramOpen(true);
  };

  const handleTelegramConnected = (connection: ConnectionDto) => {
    setTelegramOpen(false);
    setNotice({ kind: 'connected', connection });
    embed.reportSuccess(connection);
  };

  // Opened by the SDK for one provider: straight into its flow (see takeAutostart). A reconnect
  // link renews its connection: the server pins the flow to it and to the inputs it was made with.
  const startable = providers.data?.find((p) => p.id === onlyProvider);
  const renews = embed.session?.reconnectConnectionId ?? undefined;
  const { start } = oauth;
  useEffect(() => {
    if (!startable || startable.availability !== 'available') return;
    const shop = embedContext()?.shop ?? null;
    const inputs = Object.fromEntries(
      startable.inputs.flatMap((spec) => (spec.name === 'shop' && shop ? [['shop', shop]] : [])),
    );
    const reconnect = renews ? { reconnectConnectionId: renews } : {};
    if (startable.authMode === 'api_key') {
      // Its form is the flow: open it as its Connect button would.
      if (takeAutostart())
        void Promise.resolve().then(() => setApiKeyFor({ provider: startable, ...reconnect }));
      return;
    }
    const inputsMissing = Object.keys(inputs).length < startable.inputs.length;
    if (startable.authMode !== 'telegram' && inputsMissing && !renews) return;
    if (!takeAutostart()) return;
    // The dialog opens after this render, as a click would open it.
    if (startable.authMode === 'telegram') void Promise.resolve().then(() => setTelegramOpen(true));
    else
      start({
        providerId: startable.id,
        ...(startable.inputs.length > 0 && !renews ? { inputs } : {}),
        ...reconnect,
      });
  }, [startable, start, renews]);

  const openApiKey = (provider: ProviderSummary, reconnectConnectionId?: string) => {
    setNotice(null);
    oauth.reset();
    setApiKeyFor({ provider, ...(reconnectConnectionId ? { reconnectConnectionId } : {}) });
  };

  const handleApiKeyConnected = (connection: ConnectionDto) => {
    setApiKeyFor(null);
    setNotice({ kind: 'connected', connection });
    embed.reportSuccess(connection);
  };

  // Reconnecting renews this very connection: the server refuses a different account for it.
  const reconnect = (connection: ConnectionDto) => {
    const provider = providers.data?.find((p) => p.id === connection.providerId);
    if (provider?.authMode === 'telegram') openTelegram();
    else if (provider?.authMode === 'api_key') openApiKey(provider, connection.id);
    else oauth.start({ providerId: connection.providerId, reconnectConnectionId: connection.id });
  };

  // Search finds a provider by the description on its card, in the UI's language, too.
  const describe = (p: ProviderSummary) =>
    translateOr(`provider.${p.id}.description`, p.description);
  const telegramTitle = t('providers.connect', { provider: 'Telegram' });
  const apiKeyTitle = apiKeyFor
    ? t('providers.connect', { provider: apiKeyFor.provider.name })
    : '';
  const disconnectTitle = toDisconnect
    ? t('disconnect.title', { provider: toDisconnect.providerName })
    : '';
  // A one-provider link (or the SDK's providerId) offers that provider and no other.
  const offered = (providers.data ?? []).filter((p) => !onlyProvider || p.id === onlyProvider);
  const shown = providers.data ? filterProviders(availableFirst(offered), query, describe) : [];

  return (
    <>
      <title>{t('connections.documentTitle')}</title>
      <div className="page-intro">
        <h1>{t('connections.heading')}</h1>
        <p className="lede">{t('connections.lede')}</p>
      </div>

      <section className="section" aria-labelledby="connections-title">
        <h2 id="connections-title" ref={connectionsHeading} tabIndex={-1}>
          {t('connections.title')}
        </h2>
        {/* Always in the page, so screen readers announce the message when it appears. */}
        <div role="status" aria-live="polite" className="status-region">
          {notice ? <NoticeView notice={notice} onDismiss={() => setNotice(null)} /> : null}
        </div>
        {connections.isPending ? (
          <p className="loading" aria-busy="true">
            {t('connections.loading')}
          </p>
        ) : connections.isError ? (
          <ErrorAlert title={t('connections.loadFailed')}>
            {errorText.of(connections.error)}
          </ErrorAlert>
        ) : (
          <ConnectionList
            connections={connections.data.filter(
              (c) => !onlyProvider || c.providerId === onlyProvider,
            )}
            providers={providers.data}
            onDisconnect={(connection) => {
              setNotice(null);
              setToDisconnect(connection);
            }}
            onDisconnectIntent={DisconnectDialog.preload}
            onReconnect={reconnect}
            reconnectBusy={oauth.busy}
          />
        )}
      </section>

      <section className="section" aria-labelledby="providers-title">
        <h2 id="providers-title">{t('providers.title')}</h2>
        {providers.isPending ? (
          <p className="loading" aria-busy="true">
            {t('providers.loading')}
          </p>
        ) : providers.isError ? (
          // A link for a provider turned off (server.integrations.disable) says so, not "failed".
          <ErrorAlert
            title={
              errorCodeOf(providers.error) === 'PROVIDER_DISABLED'
                ? t('providers.disabledTitle')
                : t('providers.loadFailed')
            }
          >
            {errorText.of(providers.error)}
          </ErrorAlert>
        ) : (
          <>
            {onlyProvider ? null : (
              <ProviderSearch
                query={query}
                onQueryChange={setQuery}
                resultText={t('providers.count', { count: shown.length })}
                inputRef={searchInput}
              />
            )}
            {shown.length === 0 ? (
              <div className="empty-state">
                <p className="empty-state-title">
                  {t('providers.noMatchTitle', { query: query.trim() })}
                </p>
                <p>
                  <T
                    id="providers.noMatchText"
                    components={{
                      0: (
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => {
                            setQuery('');
                            searchInput.current?.focus();
                          }}
                        />
                      ),
                    }}
                  />
                </p>
              </div>
            ) : (
              <ul className="provider-grid">
                {shown.map((provider) => (
                  <ProviderCard
                    key={provider.id}
                    provider={provider}
                    connections={(connections.data ?? []).filter(
                      (c) => c.providerId === provider.id,
                    )}
                    onReconnect={reconnect}
                    onConnect={(input) => oauth.start(input)}
                    onConnectTelegram={openTelegram}
                    onTelegramIntent={TelegramDialog.preload}
                    onConnectApiKey={() => openApiKey(provider)}
                    onApiKeyIntent={ApiKeyDialog.preload}
                    busy={oauth.busy}
                    redirecting={oauth.redirectingTo === provider.id}
                    error={oauth.failedProviderId === provider.id ? oauth.error : null}
                  />
                ))}
              </ul>
            )}
          </>
        )}
      </section>

      {toDisconnect ? (
        <LazyBoundary
          fallback={<PendingDialog title={disconnectTitle} onClose={() => setToDisconnect(null)} />}
          failed={
            <PendingDialog title={disconnectTitle} onClose={() => setToDisconnect(null)} failed />
          }
        >
          <DisconnectDialog
            connection={toDisconnect}
            onCancel={() => setToDisconnect(null)}
            onDisconnected={handleDisconnected}
          />
        </LazyBoundary>
      ) : null}
      {apiKeyFor ? (
        <LazyBoundary
          fallback={<PendingDialog title={apiKeyTitle} onClose={() => setApiKeyFor(null)} />}
          failed={<PendingDialog title={apiKeyTitle} onClose={() => setApiKeyFor(null)} failed />}
        >
          <ApiKeyDialog
            provider={apiKeyFor.provider}
            {...(apiKeyFor.reconnectConnectionId
              ? { reconnectConnectionId: apiKeyFor.reconnectConnectionId }
              : {})}
            onCancel={() => setApiKeyFor(null)}
            onConnected={handleApiKeyConnected}
          />
        </LazyBoundary>
      ) : null}
      {telegramOpen ? (
        <LazyBoundary
          fallback={<PendingDialog title={telegramTitle} onClose={() => setTelegramOpen(false)} />}
          failed={
            <PendingDialog title={telegramTitle} onClose={() => setTelegramOpen(false)} failed />
          }
        >
          <TelegramDialog
            onCancel={() => setTelegramOpen(false)}
            onConnected={handleTelegramConnected}
          />
        </LazyBoundary>
      ) : null}
    </>
  );
}

function NoticeView({ notice, onDismiss }: { notice: Notice; onDismiss: () => void }) {
  const t = useT();
  const { providerName } = notice.connection;
  const connection = connectionTitle(notice.connection);
  const success = notice.kind === 'connected' || notice.revokedAtProvider;
  return (
    <div className={`notice ${success ? 'notice-success' : 'notice-warning'}`}>
      <div>
        <p className="notice-title">
          {notice.kind === 'connected'
            ? t('notice.connected', { connection })
            : t('notice.disconnected', { connection })}
        </p>
        {notice.kind === 'connected' || notice.revokedAtProvider ? null : (
          <p>{t('notice.notRevoked', { provider: providerName })}</p>
        )}
      </div>
      <CloseButton label={t('notice.dismiss')} onClick={onDismiss} />
    </div>
  );
}

/** Connectable providers lead; the catalog's own order is kept within each group. */
function availableFirst(providers: ProviderSummary[]): ProviderSummary[] {
  return [
    ...providers.filter((p) => p.availability === 'available'),
    ...providers.filter((p) => p.availability !== 'available'),
  ];
}
