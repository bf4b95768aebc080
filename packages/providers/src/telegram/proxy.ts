import type { ProxySpec } from '../proxy';

/**
 * A Telegram user account is an MTProto session (https://core.telegram.org/mtproto), not an
 * HTTP API: there is nothing to forward a request to.
 */
export const proxy: ProxySpec = {
  kind: 'unsupported',
  reason:
    'Telegram user accounts speak MTProto, not HTTP, so they cannot be proxied. Read the session with connections.credentials and use an MTProto client (e.g. gramjs).',
};
