import type { ConnectionDto } from '@plugboard/contracts';
import { useId } from 'react';

interface ProviderConnectionStateProps {
  /** This user's connections to the card's provider. */
  connections: ConnectionDto[];
  onReconnect: (connection: ConnectionDto) => void;
  busy: boolean;
}

/**
 * On a provider's card: whether this user already has it connected, and a Reconnect button for
 * each connection the provider stopped accepting (`needs_reauth`), which renews that connection.
 */
export function ProviderConnectionState({
  connections,
  onReconnect,
  busy,
}: ProviderConnectionStateProps) {
  const id = useId();
  const active = connections.filter((c) => c.status === 'active');
  const stale = connections.filter((c) => c.status === 'needs_reauth');
  if (active.length === 0 && stale.length === 0) return null;
  return (
    <div className="provider-state">
      {active.length > 0 ? (
        <p className="provider-state-connected">
          <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path
              d="M3.5 8.5l3 3 6-7"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
          <span>
            Connected as <strong>{active[0]!.label}</strong>
            {active.length > 1 ? ` and ${active.length - 1} more` : null}
          </span>
        </p>
      ) : null}
      {stale.map((connection) => (
        <div className="provider-state-stale" key={connection.id}>
          <p id={`${id}-${connection.id}`}>
            <span className="badge badge-warning">Needs reconnecting</span>{' '}
            <span className="provider-state-label">{connection.label}</span>
          </p>
          <button
            type="button"
            className="button button-primary button-small"
            onClick={() => onReconnect(connection)}
            disabled={busy}
            aria-describedby={`${id}-${connection.id}`}
          >
            Reconnect
          </button>
        </div>
      ))}
    </div>
  );
}
