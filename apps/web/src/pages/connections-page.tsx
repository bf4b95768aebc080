import type { ConnectionDto, DisconnectOutput, ProviderSummary } from '@plugboard/contracts';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { ConnectionList } from '../components/connection-list';
import { DisconnectDialog } from '../components/disconnect-dialog';
import { ErrorAlert } from '../components/error-alert';
import { ProviderCard } from '../components/provider-card';
import { errorMessageOf } from '../lib/errors';
import { connectionTitle } from '../lib/labels';
import { useTRPC } from '../lib/trpc';
import { useStartOAuth } from '../lib/use-start-oauth';

interface DisconnectNotice {
  connection: ConnectionDto;
  revokedAtProvider: boolean;
}

export function ConnectionsPage() {
  const trpc = useTRPC();
  const providers = useQuery(trpc.connect.providers.list.queryOptions());
  const connections = useQuery(trpc.connect.connections.list.queryOptions());
  const oauth = useStartOAuth();
  const [toDisconnect, setToDisconnect] = useState<ConnectionDto | null>(null);
  const [notice, setNotice] = useState<DisconnectNotice | null>(null);
  const connectionsHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    // The row whose button opened the dialog is gone: continue from the list's heading rather
    // than leaving focus on the page body.
    if (notice) connectionsHeading.current?.focus();
  }, [notice]);

  const handleDisconnected = (connection: ConnectionDto, result: DisconnectOutput) => {
    setToDisconnect(null);
    setNotice({ connection, revokedAtProvider: result.revokedAtProvider });
  };

  return (
    <>
      <title>Your connections · Plugboard</title>
      <div className="page-intro">
        <h1>Connect your accounts</h1>
        <p className="lede">
          Link the services you use. Credentials are stored encrypted, and you can disconnect an
          account at any time.
        </p>
      </div>

      <section className="section" aria-labelledby="connections-title">
        <h2 id="connections-title" ref={connectionsHeading} tabIndex={-1}>
          Your connections
        </h2>
        {/* Always in the page, so screen readers announce the message when it appears. */}
        <div role="status" aria-live="polite" className="status-region">
          {notice ? (
            <DisconnectNoticeView notice={notice} onDismiss={() => setNotice(null)} />
          ) : null}
        </div>
        {connections.isPending ? (
          <p className="loading" aria-busy="true">
            Loading your connections…
          </p>
        ) : connections.isError ? (
          <ErrorAlert title="Your connections could not be loaded">
            {errorMessageOf(connections.error)}
          </ErrorAlert>
        ) : (
          <ConnectionList
            connections={connections.data}
            providers={providers.data}
            onDisconnect={(connection) => {
              setNotice(null);
              setToDisconnect(connection);
            }}
            onReconnect={(connection) => oauth.start({ providerId: connection.providerId })}
            reconnectBusy={oauth.busy}
          />
        )}
      </section>

      <section className="section" aria-labelledby="providers-title">
        <h2 id="providers-title">Add a connection</h2>
        {providers.isPending ? (
          <p className="loading" aria-busy="true">
            Loading providers…
          </p>
        ) : providers.isError ? (
          <ErrorAlert title="The providers could not be loaded">
            {errorMessageOf(providers.error)}
          </ErrorAlert>
        ) : (
          <ul className="provider-grid">
            {availableFirst(providers.data).map((provider) => (
              <ProviderCard
                key={provider.id}
                provider={provider}
                onConnect={(input) => oauth.start(input)}
                busy={oauth.busy}
                redirecting={oauth.redirectingTo === provider.id}
                error={oauth.failedProviderId === provider.id ? errorMessageOf(oauth.error) : null}
              />
            ))}
          </ul>
        )}
      </section>

      {toDisconnect ? (
        <DisconnectDialog
          connection={toDisconnect}
          onCancel={() => setToDisconnect(null)}
          onDisconnected={handleDisconnected}
        />
      ) : null}
    </>
  );
}

function DisconnectNoticeView({
  notice,
  onDismiss,
}: {
  notice: DisconnectNotice;
  onDismiss: () => void;
}) {
  const { providerName } = notice.connection;
  return (
    <div className={`notice ${notice.revokedAtProvider ? 'notice-success' : 'notice-warning'}`}>
      <div>
        <p className="notice-title">Disconnected {connectionTitle(notice.connection)}</p>
        {notice.revokedAtProvider ? null : (
          <p>
            {providerName} could not be reached to revoke access. The connection is removed here; to
            be sure, also remove the app&apos;s access in your {providerName} settings.
          </p>
        )}
      </div>
      <button type="button" className="button-icon" onClick={onDismiss} aria-label="Dismiss">
        <svg viewBox="0 0 20 20" aria-hidden="true">
          <path
            d="M5 5l10 10M15 5L5 15"
            stroke="currentColor"
            strokeWidth="1.8"
            strokeLinecap="round"
          />
        </svg>
      </button>
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
