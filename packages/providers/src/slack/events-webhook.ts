import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack asks apps to refuse requests whose timestamp is more than five minutes off. */
export const SLACK_TOLERANCE_SECONDS = 300;

/** What a verified Events API request asks of Plugboard. */
export type SlackEvent =
  /** The one-time check when the Request URL is configured: answer with the challenge. */
  | { kind: 'url_verification'; challenge: string }
  /** The app was uninstalled from the workspace: every token of it is revoked. */
  | { kind: 'app_uninstalled'; teamId: string }
  /** These users' (and bots') tokens were revoked. */
  | { kind: 'tokens_revoked'; teamId: string; userIds: string[] }
  | { kind: 'other'; type: string };

export type SlackEventResult =
  { ok: true; event: SlackEvent } | { ok: false; reason: 'signature' | 'stale' | 'body' };

/**
 * Verifies a request from Slack (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature` is `v0=` + hex HMAC-SHA256 of `v0:<X-Slack-Request-Timestamp>:<raw body>`
 * keyed with the app's signing secret, and the timestamp must be within five minutes of now.
 * Then reads the Events API envelope (https://api.slack.com/apis/events-api#callback-field):
 * `url_verification` (https://api.slack.com/events/url_verification), and inside
 * `event_callback` the `app_uninstalled` (https://api.slack.com/events/app_uninstalled) and
 * `tokens_revoked` (https://api.slack.com/events/tokens_revoked, `event.tokens.oauth` / `.bot`:
 * user ids) events.
 */
export function verifySlackEvent(
  rawBody: Buffer,
  headers: Record<string, string | string[] | undefined>,
  signingSecret: string,
  now: Date,
): SlackEventResult {
  const signature = one(headers['x-slack-signature']);
  const timestamp = one(headers['x-slack-request-timestamp']);
  if (!signature?.startsWith('v0=') || !timestamp || !/^\d+$/.test(timestamp) || !signingSecret) {
    return { ok: false, reason: 'signature' };
  }
  const expected = createHmac('sha256', signingSecret)
    .update(`v0:${timestamp}:`)
    .update(rawBody)
    .digest();
  const given = Buffer.from(signature.slice(3), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'signature' };
  }
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > SLACK_TOLERANCE_SECONDS) {
    return { ok: false, reason: 'stale' };
  }
  let body: {
    type?: unknown;
    challenge?: unknown;
    team_id?: unknown;
    event?: { type?: unknown; tokens?: { oauth?: unknown; bot?: unknown } };
  };
  try {
    body = JSON.parse(rawBody.toString('utf8')) as typeof body;
  } catch {
    return { ok: false, reason: 'body' };
  }
  if (body.type === 'url_verification' && typeof body.challenge === 'string') {
    return { ok: true, event: { kind: 'url_verification', challenge: body.challenge } };
  }
  if (body.type !== 'event_callback' || typeof body.team_id !== 'string' || !body.event) {
    return { ok: false, reason: 'body' };
  }
  const teamId = body.team_id;
  const type = typeof body.event.type === 'string' ? body.event.type : '';
  if (type === 'app_uninstalled') return { ok: true, event: { kind: 'app_uninstalled', teamId } };
  if (type === 'tokens_revoked') {
    const ids = (v: unknown) =>
      Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    const userIds = [...ids(body.event.tokens?.oauth), ...ids(body.event.tokens?.bot)];
    return { ok: true, event: { kind: 'tokens_revoked', teamId, userIds } };
  }
  return { ok: true, event: { kind: 'other', type } };
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
