import { safeString } from './strings';

/** Public identifiers carry a prefix so a value pasted in the wrong place is caught at once. */
export const ID_PREFIX = {
  connectToken: 'ctok_',
  attempt: 'att_',
  connection: 'conn_',
  apiKey: 'pk_',
  telegramFlow: 'tgf_',
} as const;

const prefixed = (prefix: string) =>
  safeString()
    .max(80)
    .regex(new RegExp(`^${prefix}[A-Za-z0-9_-]{16,64}$`), `must look like ${prefix}…`);

export const AttemptIdSchema = prefixed(ID_PREFIX.attempt);
export const ConnectionIdSchema = prefixed(ID_PREFIX.connection);
export const ConnectTokenSchema = prefixed(ID_PREFIX.connectToken);
export const ApiKeySchema = prefixed(ID_PREFIX.apiKey);
export const TelegramFlowIdSchema = prefixed(ID_PREFIX.telegramFlow);

/** The host app's id for its end user: opaque to Plugboard, capped like Pipedream's. */
export const ExternalUserIdSchema = safeString()
  .trim()
  .min(1, 'externalUserId must not be empty')
  .max(250, 'externalUserId must be at most 250 characters');
