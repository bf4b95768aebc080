/**
 * The only place that reads `process.env`: everything else receives plain options, so tests can
 * start the mock on a random port without touching the environment.
 */
export interface MockProvidersEnv {
  port: number;
  host: string;
  clientsFile: string | undefined;
}

function readPort(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`MOCK_PROVIDERS_PORT must be an integer between 0 and 65535, got "${value}".`);
  }
  return port;
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): MockProvidersEnv {
  return {
    port: readPort(source['MOCK_PROVIDERS_PORT'], 4010),
    // Loopback by default: the mock hands out tokens to anyone who asks, so it should not be
    // reachable from the network unless someone opts in.
    host: source['MOCK_PROVIDERS_HOST'] || '127.0.0.1',
    clientsFile: source['MOCK_PROVIDERS_CLIENTS_FILE'] || undefined,
  };
}
