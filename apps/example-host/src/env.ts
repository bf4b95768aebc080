import { z } from 'zod';

/**
 * The example host's only read of process.env. Like a customer's app it knows where Plugboard
 * runs and its API client's id and secret (`plugboard api-clients create`); in development, with
 * none given, it provisions one itself (./dev-client.ts).
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  HOST: z.string().default('127.0.0.1'),
  /** Where this app is opened: its origin is the only one its connect tokens allow. */
  PUBLIC_URL: z.url().optional(),
  PLUGBOARD_URL: z.url().default('http://localhost:3000'),
  PLUGBOARD_CLIENT_ID: z.string().min(1).optional(),
  PLUGBOARD_CLIENT_SECRET: z.string().min(1).optional(),
  /** Development: where Plugboard keeps its admin key (`dev-api-key`) and this app its client. */
  DATA_DIR: z.string().default('./data'),
  /** Notion's API: the real one, or the mock providers' Notion in development. */
  NOTION_API_URL: z.url().default('http://localhost:4010/notion'),
});

export interface ExampleHostEnv {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  plugboardUrl: string;
  client: { clientId: string; clientSecret: string } | null;
  dataDir: string;
  notionApiUrl: string;
}

export function loadEnv(source: Record<string, string | undefined> = process.env): ExampleHostEnv {
  const e = EnvSchema.parse(source);
  if (Boolean(e.PLUGBOARD_CLIENT_ID) !== Boolean(e.PLUGBOARD_CLIENT_SECRET)) {
    throw new Error('Set both PLUGBOARD_CLIENT_ID and PLUGBOARD_CLIENT_SECRET, or neither.');
  }
  if (!e.PLUGBOARD_CLIENT_ID && e.NODE_ENV === 'production') {
    throw new Error('PLUGBOARD_CLIENT_ID and PLUGBOARD_CLIENT_SECRET are required in production.');
  }
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/$/, ''),
    plugboardUrl: e.PLUGBOARD_URL.replace(/\/$/, ''),
    client:
      e.PLUGBOARD_CLIENT_ID && e.PLUGBOARD_CLIENT_SECRET
        ? { clientId: e.PLUGBOARD_CLIENT_ID, clientSecret: e.PLUGBOARD_CLIENT_SECRET }
        : null,
    dataDir: e.DATA_DIR,
    notionApiUrl: e.NOTION_API_URL.replace(/\/$/, ''),
  };
}
