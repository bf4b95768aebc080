import { z } from 'zod';
import { safeString } from './strings';

/**
 * What a server-API credential (an API key `pk_…`, or an API client's access token `pat_…`) may
 * do. `admin` implies every other scope. Each `server.*` procedure names the one it needs in
 * packages/api/src/scopes.ts.
 */
export const SCOPES = [
  'connect_tokens:write',
  'connections:read',
  'connections:write',
  'credentials:read',
  /** Calls the provider's API through /v1/proxy with a connection's credentials (never sees them). */
  'connections:proxy',
  'webhooks:manage',
  'audit_log:read',
  'admin',
] as const;
export const ScopeSchema = z.enum(SCOPES);
export type Scope = z.infer<typeof ScopeSchema>;

/** Whether a credential holding `granted` may do what `required` guards. */
export function hasScope(granted: readonly Scope[], required: Scope): boolean {
  return granted.includes('admin') || granted.includes(required);
}

const ScopesInputSchema = z
  .array(ScopeSchema)
  .min(1, 'give at least one scope')
  .max(SCOPES.length)
  .transform((s) => [...new Set(s)]);

const NameSchema = safeString().trim().min(1, 'name must not be empty').max(100);

export const ApiKeyIdSchema = safeString()
  .max(80)
  .regex(/^key_[A-Za-z0-9_-]{16,64}$/, 'must look like key_…');
export const ApiClientIdSchema = safeString()
  .max(80)
  .regex(/^cli_[A-Za-z0-9_-]{16,64}$/, 'must look like cli_…');
/** An API client's secret; shown once at creation. */
export const ApiClientSecretSchema = safeString()
  .max(80)
  .regex(/^pcs_[A-Za-z0-9_-]{16,64}$/, 'must look like pcs_…');
/** A short-lived access token from POST /oauth/token. */
export const AccessTokenSchema = safeString()
  .max(80)
  .regex(/^pat_[A-Za-z0-9_-]{16,64}$/, 'must look like pat_…');

/** How an API key or an API client is created: a name and its scopes. */
const CreateCredentialInputSchema = z.strictObject({
  name: NameSchema,
  scopes: ScopesInputSchema,
});
/** How an API key or an API client is listed: never its secret. */
const CredentialDtoSchema = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(ScopeSchema),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const CreateApiKeyInputSchema = CreateCredentialInputSchema;
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInputSchema>;

export const ApiKeyDtoSchema = CredentialDtoSchema;
export type ApiKeyDto = z.infer<typeof ApiKeyDtoSchema>;

/** The key itself is in this answer only: it is stored as a hash and never listed. */
export const CreateApiKeyOutputSchema = ApiKeyDtoSchema.extend({ key: z.string() });

export const RevokeApiKeyInputSchema = z.strictObject({ id: ApiKeyIdSchema });

export const CreateApiClientInputSchema = CreateCredentialInputSchema;
export type CreateApiClientInput = z.infer<typeof CreateApiClientInputSchema>;

export const ApiClientDtoSchema = CredentialDtoSchema;
export type ApiClientDto = z.infer<typeof ApiClientDtoSchema>;

/** `clientId` + `clientSecret` for POST /oauth/token; the secret is in this answer only. */
export const CreateApiClientOutputSchema = ApiClientDtoSchema.extend({
  clientId: z.string(),
  clientSecret: z.string(),
});

export const RevokeApiClientInputSchema = z.strictObject({ id: ApiClientIdSchema });

export const RevokeOutputSchema = z.object({ revoked: z.boolean() });

export const ListApiKeysOutputSchema = z.object({ items: z.array(ApiKeyDtoSchema) });
export const ListApiClientsOutputSchema = z.object({ items: z.array(ApiClientDtoSchema) });
