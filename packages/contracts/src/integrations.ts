import { z } from 'zod';
import { ProviderIdSchema } from './providers';
import { safeString } from './strings';

/**
 * Integrations configured through the API (`server.integrations.*`, admin scope): each
 * provider's OAuth client, scopes override, mode and whether it is offered at all. The
 * environment wins where it sets a value (`<KEY>_MODE`, `<KEY>_CLIENT_ID` + `_CLIENT_SECRET`);
 * every value says where it comes from. A client secret is never returned.
 */
export const IntegrationModeSchema = z.enum(['mock', 'live']);
export type IntegrationMode = z.infer<typeof IntegrationModeSchema>;

/** Where an effective value comes from: an environment variable, the database, or the default. */
export const IntegrationSourceSchema = z.enum(['env', 'database', 'default']);
export type IntegrationSource = z.infer<typeof IntegrationSourceSchema>;

const ClientIdSchema = safeString().trim().min(1, 'clientId must not be empty').max(500);
const ClientSecretSchema = safeString().min(1, 'clientSecret must not be empty').max(2000);
const ScopeValueSchema = safeString()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'a scope is visible ASCII without spaces');

export const IntegrationProviderInputSchema = z.strictObject({ providerId: ProviderIdSchema });

/**
 * A partial change: an absent field keeps what is stored, `null` clears it (back to the
 * environment or the default). `clientId` and `clientSecret` are stored together: the result
 * must have both or neither.
 */
export const UpsertIntegrationInputSchema = z.strictObject({
  providerId: ProviderIdSchema,
  clientId: ClientIdSchema.nullable().optional(),
  clientSecret: ClientSecretSchema.nullable().optional(),
  /** Replaces the provider's default scopes in the authorization request; `null`: the default. */
  scopes: z.array(ScopeValueSchema).max(100).nullable().optional(),
  mode: IntegrationModeSchema.nullable().optional(),
  enabled: z.boolean().optional(),
});
export type UpsertIntegrationInput = z.infer<typeof UpsertIntegrationInputSchema>;

const sourced = <T extends z.ZodType>(value: T) =>
  z.object({ value, source: IntegrationSourceSchema });

export const IntegrationDtoSchema = z.object({
  providerId: ProviderIdSchema,
  name: z.string(),
  authMode: z.enum(['oauth2', 'telegram', 'api_key']),
  enabled: sourced(z.boolean()),
  mode: sourced(IntegrationModeSchema),
  /** OAuth providers only (null otherwise); in mock mode the mock's dev client. */
  clientId: sourced(z.string()).nullable(),
  /** Whether a secret is in effect and where it comes from; never the secret. */
  clientSecret: z.object({ set: z.boolean(), source: IntegrationSourceSchema }).nullable(),
  /** The scopes requested at authorization (OAuth providers only). */
  scopes: sourced(z.array(z.string())).nullable(),
  /** When the stored configuration last changed; null when nothing is stored. */
  updatedAt: z.string().nullable(),
});
export type IntegrationDto = z.infer<typeof IntegrationDtoSchema>;

export const ListIntegrationsOutputSchema = z.object({ items: z.array(IntegrationDtoSchema) });
export type ListIntegrationsOutput = z.infer<typeof ListIntegrationsOutputSchema>;
