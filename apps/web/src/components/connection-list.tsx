import type { ConnectionDto, ProviderSummary } from '@plugboard/contracts';
import { connectionTitle } from '../lib/labels';
import { formatExact, formatRelative, useNow } from '../lib/time';
import { ProviderMark } from './provider-mark';

interface ConnectionListProps {
  connections: ConnectionDto[];
  providers: ProviderSummary[] | undefined;
  onDisconnect: (connection: ConnectionDto) => void;
  onReconnect: (connection: ConnectionDto) => void;
  reconnectBusy: boolean;
}

export function ConnectionList({
  connections,
  providers,
  onDisconnect,
  onReconnect,
  reconnectBusy,
}: ConnectionListProps) {
  const now = useNow();
  if (connections.length === 0) {
    return (
      <div className="empty-state">
        <p className="empty-state-title">No connections yet</p>
        <p>Connect an account below and it will show up here.</p>
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
                Connected{' '}
                <time dateTime={connection.connectedAt} title={formatExact(connection.connectedAt)}>
                  {formatRelative(connection.connectedAt, now)}
                </time>
                {connection.status === 'needs_reauth' ? (
                  <span className="badge badge-warning">Needs reconnecting</span>
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
                  Reconnect
                </button>
              ) : null}
              <button
                type="button"
                className="button button-secondary button-small"
                onClick={() => onDisconnect(connection)}
                aria-describedby={titleId}
              >
                Disconnect
              </button>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
