import type { ConnectionDto } from '@plugboard/contracts';

/** "Notion — Acme Workspace (ada@acme.example)": how a connection is named everywhere. */
export function connectionTitle(connection: Pick<ConnectionDto, 'providerName' | 'label'>): string {
  return `${connection.providerName} — ${connection.label}`;
}
