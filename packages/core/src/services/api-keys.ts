import { ApiKeySchema, PlugboardError } from '@plugboard/contracts';
import { ApiKey, type Em } from '@plugboard/db';
import { newId, sha256Hex } from '../crypto';

/** Makes sure an API key given in the environment is accepted (only its hash is stored). */
export async function ensureApiKey(em: Em, key: string, name: string): Promise<void> {
  if (!ApiKeySchema.safeParse(key).success) {
    throw new Error(
      'PLUGBOARD_BOOTSTRAP_API_KEY must look like pk_ followed by 16–64 letters, digits, _ or -',
    );
  }
  const keyHash = sha256Hex(key);
  if (await em.findOne(ApiKey, { keyHash })) return;
  em.create(ApiKey, { id: newId('key_'), keyHash, name, createdAt: new Date() });
  await em.flush();
}

export async function verifyApiKey(
  em: Em,
  key: string | undefined,
): Promise<{ id: string; name: string }> {
  if (!key || !ApiKeySchema.safeParse(key).success) throw new PlugboardError('API_KEY_INVALID');
  const row = await em.findOne(ApiKey, { keyHash: sha256Hex(key) });
  if (!row) throw new PlugboardError('API_KEY_INVALID');
  return { id: row.id, name: row.name };
}
