import { createHmac, timingSafeEqual } from 'node:crypto';

/** Stripe's default tolerance between the signed timestamp and now (replay protection). */
export const STRIPE_TOLERANCE_SECONDS = 300;

export type StripeWebhookResult =
  | { ok: true; event: { id: string; type: string; account: string | null } }
  | { ok: false; reason: 'signature' | 'stale' | 'body' };

/**
 * Verifies a Stripe webhook the way Stripe's libraries do
 * (https://docs.stripe.com/webhooks#verify-manually): `Stripe-Signature: t=<unix>,v1=<hex>[,v1=…]`,
 * where each v1 is the hex HMAC-SHA256 of `<t>.<raw body>` keyed with the endpoint's signing
 * secret (`whsec_…`); the timestamp must be within the tolerance of now. A Connect platform gets
 * `account.application.deauthorized` with the connected account's id in the top-level
 * `account` field when that account disconnects the platform
 * (https://docs.stripe.com/api/events/types#event_types-account.application.deauthorized,
 * https://docs.stripe.com/connect/webhooks).
 */
export function verifyStripeWebhook(
  rawBody: Buffer,
  header: string | undefined,
  signingSecret: string,
  now: Date,
  toleranceSeconds = STRIPE_TOLERANCE_SECONDS,
): StripeWebhookResult {
  if (!header || !signingSecret) return { ok: false, reason: 'signature' };
  let t: string | undefined;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    if (k === 't') t = v;
    else if (k === 'v1') v1.push(v);
  }
  if (!t || !/^\d+$/.test(t) || v1.length === 0) return { ok: false, reason: 'signature' };
  const expected = createHmac('sha256', signingSecret).update(`${t}.`).update(rawBody).digest();
  const matches = v1.some((sig) => {
    const given = Buffer.from(sig, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) return { ok: false, reason: 'signature' };
  if (Math.abs(now.getTime() / 1000 - Number(t)) > toleranceSeconds) {
    return { ok: false, reason: 'stale' };
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { ok: false, reason: 'body' };
  }
  const e = body as { id?: unknown; type?: unknown; account?: unknown };
  if (typeof e.id !== 'string' || typeof e.type !== 'string') return { ok: false, reason: 'body' };
  return {
    ok: true,
    event: { id: e.id, type: e.type, account: typeof e.account === 'string' ? e.account : null },
  };
}
