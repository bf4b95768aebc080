import { PlugboardError, type ConnectionMetadata } from '@plugboard/contracts';
import type { z } from 'zod';
import type { ProviderRequest } from '../../http';
import type {
  Account,
  ApiKeyFieldMeta,
  ApiKeyProvider,
  ProviderCallContext,
  ProviderInputDeclaration,
} from '../../types';

type Fields = z.ZodObject<Record<string, z.ZodType<string, string>>>;

export interface ApiKeyProviderSpec<F extends Fields, M extends ConnectionMetadata> extends Omit<
  ApiKeyProvider,
  'authMode' | 'inputs' | 'fields' | 'verify' | 'revoke'
> {
  fields: F;
  verify(values: z.output<F>, ctx: ProviderCallContext): Promise<Account<M>>;
  revoke?(values: z.output<F>, ctx: ProviderCallContext): Promise<void>;
}

/** A field's `.meta()`, checked: a field without a label is a provider folder's bug. */
export function fieldMeta(name: string, schema: z.ZodType): ApiKeyFieldMeta {
  const meta = schema.meta() as Partial<ApiKeyFieldMeta> | undefined;
  if (!meta?.label || typeof meta.secret !== 'boolean') {
    throw new Error(`api_key field "${name}" needs .meta({ label, secret })`);
  }
  return meta as ApiKeyFieldMeta;
}

/** The Connect UI's form, in declaration order: what `providers.list` carries as `inputs`. */
export function fieldsToInputs(fields: Fields): ProviderInputDeclaration[] {
  return Object.entries(fields.shape).map(([name, schema]) => {
    const meta = fieldMeta(name, schema);
    return {
      name,
      label: meta.label,
      secret: meta.secret,
      ...(meta.help ? { hint: meta.help } : {}),
      ...(meta.placeholder ? { placeholder: meta.placeholder } : {}),
    };
  });
}

/** Turns a provider folder's typed spec into a catalog entry (erasing its generics). */
export function defineApiKeyProvider<F extends Fields, M extends ConnectionMetadata>(
  spec: ApiKeyProviderSpec<F, M>,
): ApiKeyProvider {
  const { fields, verify, revoke, ...rest } = spec;
  const inputs = fieldsToInputs(fields);
  if (!inputs.some((i) => i.secret)) throw new Error(`${spec.id}: no secret field`);
  return {
    ...rest,
    authMode: 'api_key',
    inputs,
    fields,
    // The mode parses with `fields` before calling these, so the values have their shape.
    verify: (values, ctx) => verify(values as z.output<F>, ctx),
    ...(revoke ? { revoke: (values, ctx) => revoke(values as z.output<F>, ctx) } : {}),
  };
}

/**
 * The one verification call of an api_key provider: the provider's answer to a read with the
 * typed credential. 401/403 → CREDENTIALS_REJECTED at `field` with the provider's own words for
 * it (`rejected`); 429/5xx/timeouts are PROVIDER_UNAVAILABLE already (ProviderHttp); any other
 * answer or an unexpected body → PROVIDER_ERROR. Never quotes the body (it may echo the key).
 */
export async function verifyWithProvider<T>(
  provider: Pick<ApiKeyProvider, 'id' | 'name'>,
  ctx: ProviderCallContext,
  req: ProviderRequest & {
    schema: z.ZodType<T>;
    field: string;
    rejected: string | ((status: number) => string);
    /** A 404 that means a typed value points nowhere (Shopify's shop): INPUT_INVALID there. */
    notFound?: { field: string; message: string };
  },
): Promise<T> {
  const { schema, field, rejected, notFound, ...request } = req;
  const res = await ctx.http.request(provider.id, request);
  if (res.status === 404 && notFound) {
    throw new PlugboardError('INPUT_INVALID', notFound.message, {
      field: `values.${notFound.field}`,
    });
  }
  if (res.status === 401 || res.status === 403) {
    throw new PlugboardError(
      'CREDENTIALS_REJECTED',
      typeof rejected === 'string' ? rejected : rejected(res.status),
      { field: `values.${field}` },
    );
  }
  const parsed = schema.safeParse(res.body);
  if (res.status !== 200 || !parsed.success) {
    throw new PlugboardError(
      'PROVIDER_ERROR',
      `${provider.name} answered the check of these credentials unexpectedly (HTTP ${res.status}). Try again.`,
    );
  }
  return parsed.data;
}
