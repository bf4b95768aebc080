import { ApiKeySchema, PlugboardError } from '@plugboard/contracts';
import { ApiKey, type Em } from '@plugboard/db';
import { newId, sha256Hex } from '../crypto';

/** Makes sure an API key given in the environment is accepted (only its hash is stored). Idempotent. */
export async function ensureApiKey(em: Em, key: string, name: string): Promise<void> {
  if (!ApiKeySchema.safeParse(key).success) {
    throw new Error(
      'PLUGBOARD_BOOTSTRAP_API_KEY must look like pk_ followed by 16–64 letters, digits, _ or -',
    );
  }
  // One statement that is a no-op when the key is there already: instances starting at once
  // each run it, and none fails on the unique key_hash.
  await em
    .createQueryBuilder(ApiKey)
    .insert({ id: newId('key_'), keyHash: sha256Hex(key), name, createdAt: new Date() })
    .onConflict('keyHash')
    .ignore()
    .execute();
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
