import { z } from 'zod';
import { ConnectionDtoSchema } from './connect';
import { ERROR_CODES } from './errors';
import { TelegramFlowIdSchema } from './ids';
import { safeString } from './strings';

/**
 * The `connect.telegram.*` procedures: Telegram has no OAuth, so the Connect UI walks the user
 * through MTProto's own login (phone → code → 2FA password, or QR) step by step.
 */

/** E.164: `+`, a country code that does not start with 0, 7–15 digits in all. */
export const E164_PATTERN = /^\+[1-9]\d{6,14}$/;

export const TelegramSendCodeInputSchema = z.strictObject({
  phone: safeString()
    .trim()
    .max(16)
    .regex(E164_PATTERN, 'phone must be in international format, like +15551234567'),
});
export type TelegramSendCodeInput = z.infer<typeof TelegramSendCodeInputSchema>;

export const TelegramSendCodeOutputSchema = z.object({
  flowId: TelegramFlowIdSchema,
  /** How many digits the code has, when Telegram says. */
  codeLength: z.number().int().nullable(),
  /** How long the code stays valid (or until another may be requested), when Telegram says. */
  timeoutSeconds: z.number().int().nullable(),
});
export type TelegramSendCodeOutput = z.infer<typeof TelegramSendCodeOutputSchema>;

export const TelegramVerifyCodeInputSchema = z.strictObject({
  flowId: TelegramFlowIdSchema,
  code: safeString()
    .trim()
    .regex(/^\d{3,8}$/, 'code must be the digits Telegram sent'),
});
export type TelegramVerifyCodeInput = z.infer<typeof TelegramVerifyCodeInputSchema>;

export const TelegramVerifyPasswordInputSchema = z.strictObject({
  flowId: TelegramFlowIdSchema,
  // Not trimmed: spaces can be part of a password.
  password: safeString().min(1, 'password must not be empty').max(256),
});
export type TelegramVerifyPasswordInput = z.infer<typeof TelegramVerifyPasswordInputSchema>;

const ConnectedSchema = z.object({
  status: z.literal('connected'),
  connection: ConnectionDtoSchema,
});
const PasswordNeededSchema = z.object({
  status: z.literal('password_needed'),
  /** The hint the user set with their 2FA password (not a secret: Telegram shows it to anyone). */
  hint: z.string().nullable(),
});

export const TelegramVerifyCodeOutputSchema = z.discriminatedUnion('status', [
  ConnectedSchema,
  PasswordNeededSchema,
]);
export type TelegramVerifyCodeOutput = z.infer<typeof TelegramVerifyCodeOutputSchema>;

export const TelegramVerifyPasswordOutputSchema = ConnectedSchema;
export type TelegramVerifyPasswordOutput = z.infer<typeof TelegramVerifyPasswordOutputSchema>;

export const TelegramQrStartOutputSchema = z.object({
  flowId: TelegramFlowIdSchema,
  /** `tg://login?token=<base64url>`: shown as a QR code for the Telegram app to scan. */
  loginUrl: z.string(),
  expiresAt: z.string(),
});
export type TelegramQrStartOutput = z.infer<typeof TelegramQrStartOutputSchema>;

export const TelegramQrWatchInputSchema = z.strictObject({
  flowId: TelegramFlowIdSchema,
  /** Sent back by SSE clients on reconnect (tRPC `tracked()` ids); the flow's state is in the DB. */
  lastEventId: safeString().max(64).nullish(),
});
export type TelegramQrWatchInput = z.infer<typeof TelegramQrWatchInputSchema>;

const ErrorCodeSchema = z.enum(ERROR_CODES);

export const TelegramQrEventSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('waiting'), loginUrl: z.string(), expiresAt: z.string() }),
  PasswordNeededSchema,
  ConnectedSchema,
  z.object({
    status: z.literal('failed'),
    error: z.object({ code: ErrorCodeSchema, message: z.string() }),
  }),
]);
export type TelegramQrEvent = z.infer<typeof TelegramQrEventSchema>;
