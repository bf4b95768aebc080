import type { ConnectionDto, ProviderSummary } from '@plugboard/contracts';
import { connectionTitle } from '../lib/labels';
import { T, useFormat, useT } from '../i18n/react';
import { formatExact, formatRelative, relativeTime, useNow } from '../lib/time';
import { ProviderMark } from './provider-mark';

interface ConnectionListProps {
  connections: ConnectionDto[];
  providers: ProviderSummary[] | undefined;
  onDisconnect: (connection: ConnectionDto) => void;
  /** Pointer or focus on a Disconnect button: time to fetch the dialog's code. */
  onDisconnectIntent?: () => void;
  onReconnect: (connection: ConnectionDto) => void;
  reconnectBusy: boolean;
}

export function ConnectionList({
  connections,
  providers,
  onDisconnect,
  onDisconnectIntent,
  onReconnect,
  reconnectBusy,
}: ConnectionListProps) {
  const t = useT();
  const format = useFormat();
  const now = useNow();
  if (connections.length === 0) {
    return (
      <div className="empty-state">
        <p className="empty-state-title">{t('connections.emptyTitle')}</p>
        <p>{t('connections.emptyText')}</p>
      </div>
    );
  }

  return (
    <ul className="connection-list">
      {connections.map((connection) => {
        const provider = providers?.find((p) => p.id === connection.providerId);
        // The buttons are named by their text and described by the title: an aria-label such
        // as "Disconnect Notion — …" would also match "Connect Notion" for voice-control users.
        const titleId = `connection-title-${connection.id}`;
        return (
          <li key={connection.id} className="connection">
            <ProviderMark
              name={connection.providerName}
              color={provider?.color}
              brand={provider?.brand}
              size="small"
            />
            <div className="connection-text">
              <p className="connection-title" id={titleId}>
                {connectionTitle(connection)}
              </p>
              <p className="connection-meta">
                <ConnectedAt iso={connection.connectedAt} now={now} format={format} />
                {connection.status === 'needs_reauth' ? (
                  <span className="badge badge-warning">{t('connections.needsReconnecting')}</span>
                ) : null}
              </p>
            </div>
            <div className="connection-actions">
              {connection.status === 'needs_reauth' ? (
                <button
                  type="button"
                  className="button button-primary button-small"
                  onClick={() => onReconnect(connection)}
                  disabled={reconnectBusy}
                  aria-describedby={titleId}
                >
                  {t('connections.reconnect')}
                </button>
              ) : null}
              <button
                type="button"
                className="button button-secondary button-small"
                onClick={() => onDisconnect(connection)}
                onPointerEnter={onDisconnectIntent}
                onFocus={onDisconnectIntent}
                aria-describedby={titleId}
              >
                {t('connections.disconnect')}
              </button>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

/** "Connected 3 minutes ago", with the exact date and time (in the locale) as the tooltip. */
function ConnectedAt({
  iso,
  now,
  format,
}: {
  iso: string;
  now: number;
  format: ReturnType<typeof useFormat>;
}) {
  const time = relativeTime(iso, now);
  const element = <time dateTime={iso} title={formatExact(iso, format.exact)} />;
  switch (time.kind) {
    case 'now':
      return <T id="connections.connectedJustNow" components={{ 0: element }} />;
    case 'unknown':
      return <T id="connections.connectedUnknown" components={{ 0: element }} />;
    case 'relative':
      return (
        <T
          id="connections.connectedAgo"
          values={{ time: formatRelative(time, format.relative) }}
          components={{ 0: element }}
        />
      );
  }
}
