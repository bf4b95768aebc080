import { z } from 'zod';
import { ProviderBrandSchema } from './brand';

import { PROVIDER_IDS } from './providers.generated';

export { PROVIDER_IDS };

export const ProviderIdSchema = z.enum(PROVIDER_IDS, {
  error: () => ({ message: 'unknown provider' }),
});
export type ProviderId = z.infer<typeof ProviderIdSchema>;

export const AuthModeSchema = z.enum(['oauth2', 'telegram', 'api_key']);
export type AuthMode = z.infer<typeof AuthModeSchema>;

export const ProviderInputSpecSchema = z.object({
  name: z.string(),
  label: z.string(),
  placeholder: z.string().optional(),
  hint: z.string().optional(),
  /** A credential (an API key, a token): the Connect UI masks it and never echoes it back. */
  secret: z.boolean(),
});
export type ProviderInputSpec = z.infer<typeof ProviderInputSpecSchema>;

export const ProviderSummarySchema = z.object({
  id: ProviderIdSchema,
  name: z.string(),
  description: z.string(),
  color: z.string(),
  authMode: AuthModeSchema,
  /** `available`: can be connected now; `coming_soon`: listed, not yet connectable. */
  availability: z.enum(['available', 'coming_soon']),
  inputs: z.array(ProviderInputSpecSchema),
  /** The provider's mark (see brand.ts), or null: the Connect UI then shows a letter tile. */
  brand: ProviderBrandSchema.nullable(),
});
export type ProviderSummary = z.infer<typeof ProviderSummarySchema>;
