import { z } from 'zod';

/** The CLI's only read of process.env. */
const EnvSchema = z.object({
  PLUGBOARD_URL: z.url().default('http://localhost:3000'),
  PLUGBOARD_API_KEY: z.string().optional(),
});

export interface CliEnv {
  url: string;
  apiKey: string | undefined;
}

export function loadCliEnv(source: Record<string, string | undefined> = process.env): CliEnv {
  const e = EnvSchema.parse(source);
  return { url: e.PLUGBOARD_URL, apiKey: e.PLUGBOARD_API_KEY };
}
