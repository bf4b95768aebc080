import { buildMockApp } from './core/app';
import { devClients, loadClientsFile } from './core/clients';
import { personalities } from './registry';

export interface StartMockProvidersOptions {
  /** 0 picks a free port. Default 4010. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * JSON file of registered OAuth clients, instead of the dev clients every OAuth personality
   * gets by convention (`plugboard-dev-<id>`, see `devClients`).
   */
  clientsFile?: string;
}

export interface RunningMockProviders {
  /** e.g. `http://127.0.0.1:54321`, no trailing slash. */
  url: string;
  /** Stops the server, dropping requests held by `timeout` faults. */
  close(): Promise<void>;
}

/** A URL clients can reach: wildcard binds are reachable on loopback. */
function publicUrl(host: string, port: number): string {
  if (host === '0.0.0.0') return `http://127.0.0.1:${port}`;
  if (host === '::') return `http://[::1]:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export async function startMockProviders(
  opts: StartMockProvidersOptions = {},
): Promise<RunningMockProviders> {
  const host = opts.host ?? '127.0.0.1';
  const clients =
    opts.clientsFile === undefined ? devClients(personalities) : loadClientsFile(opts.clientsFile);
  const { app, state } = buildMockApp({ clients, personalities });
  await app.listen({ port: opts.port ?? 4010, host });
  const address = app.server.address();
  if (address === null || typeof address === 'string') {
    await app.close();
    throw new Error('The mock provider server did not bind a TCP port.');
  }
  state.baseUrl = publicUrl(host, address.port);
  return {
    url: state.baseUrl,
    async close() {
      // Held requests keep their sockets open, and Fastify's close waits for open requests.
      state.held.releaseAll();
      await app.close();
    },
  };
}

export type { RequestLogEntry } from './core/request-log';
export type { Fault, FaultKind } from './core/faults';
export type { NotionAccount } from './notion/account';
