import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const TELEGRAM_FLOW_KINDS = ['phone', 'qr'] as const;
export type TelegramFlowKind = (typeof TELEGRAM_FLOW_KINDS)[number];

/**
 * `code_sent`: waiting for the phone code; `qr_waiting`: waiting for a phone to scan the QR
 * token; `password_needed`: waiting for the 2FA password; then `completed` or `failed`.
 */
export const TELEGRAM_FLOW_STEPS = [
  'code_sent',
  'qr_waiting',
  'password_needed',
  'completed',
  'failed',
] as const;
export type TelegramFlowStep = (typeof TELEGRAM_FLOW_STEPS)[number];

/**
 * One Telegram login in progress (phone code or QR) for a Connect UI session. The gateway
 * session (what a gramjs StringSession saves: the MTProto auth key) and the phone_code_hash are
 * sealed with AAD bound to this row, and cleared once the flow ends. The attempt counters are
 * the brute-force limit: tRPC calls do not go through the per-route HTTP rate limiter.
 * `version` makes every step a compare-and-swap, so two concurrent tries cannot both count once.
 */
export const TelegramFlow = defineEntity({
  name: 'TelegramFlow',
  tableName: 'telegram_flows',
  properties: {
    id: p.string().primary().length(40),
    sessionId: p.string().length(40).index(),
    externalUserId: p.string().length(250),
    /** E.164, for display only (masked in logs); null for QR logins. */
    phone: p.string().length(16).nullable(),
    kind: p.enum([...TELEGRAM_FLOW_KINDS] as TelegramFlowKind[]),
    step: p.enum([...TELEGRAM_FLOW_STEPS] as TelegramFlowStep[]),
    gatewaySessionEnc: p.text().nullable(),
    phoneCodeHashEnc: p.text().nullable(),
    codeAttempts: p.integer().default(0),
    passwordAttempts: p.integer().default(0),
    /** The 2FA password hint Telegram showed (public to anyone who tries to log in). */
    passwordHint: p.string().length(255).nullable(),
    errorCode: p.string().length(40).nullable(),
    connectionId: p.string().length(40).nullable(),
    version: p.integer().default(1),
    /** Indexed for the retention purge. */
    expiresAt: p.datetime().index(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type TelegramFlow = InferEntity<typeof TelegramFlow>;
