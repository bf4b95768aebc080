import { PlugboardError, type ErrorCode } from '@plugboard/contracts';
import type { StepFlowDefinition, StepResult } from '../step-flow';
import type { TelegramCredentials } from '../types';
import type { TelegramAuthResult, TelegramGateway } from './gateway';
import { telegramAccount } from './account';

/** A flow lives as long as an OAuth attempt. */
export const TELEGRAM_FLOW_TTL_SECONDS = 10 * 60;
/** Wrong codes (and wrong passwords) a flow tolerates before it fails. */
export const TELEGRAM_MAX_TRIES = 5;
/** Flows one browser session may start per hour (each sends an SMS / app message). */
export const TELEGRAM_MAX_FLOWS_PER_HOUR = 10;
/** How often `qr.watch` asks Telegram whether the token was scanned. */
export const TELEGRAM_QR_POLL_MS = 1000;

/**
 * What a Telegram sign-in keeps between steps (sealed as a whole by the runner): the gateway
 * session (what a gramjs StringSession saves, the MTProto auth key) and, while a code is out,
 * Telegram's phone_code_hash.
 */
export interface TelegramFlowState {
  kind: 'phone' | 'qr';
  session: string;
  /** E.164; phone logins only. */
  phone?: string;
  phoneCodeHash?: string;
  /** The 2FA password hint Telegram showed (public to anyone who tries to log in). */
  hint?: string | null;
}

/** The ways a Telegram sign-in begins, and what a person answers on the way. */
export interface TelegramFlowStarts extends Record<string, unknown> {
  phone: { phone: string };
  qr: undefined;
}
export interface TelegramFlowAnswers extends Record<string, unknown> {
  code: { code: string };
  password: { password: string };
}

export type TelegramStepFlow = StepFlowDefinition<
  TelegramFlowState,
  TelegramFlowStarts,
  TelegramFlowAnswers
>;

/** `tg://login?token=<base64url>`, what the Telegram app scans (core.telegram.org/api/qr-login). */
function loginUrl(token: Buffer): string {
  return `tg://login?token=${token.toString('base64url')}`;
}

/**
 * MTProto's own login (https://core.telegram.org/api/auth): `phone` → `code_sent` → (2FA set)
 * `password_needed` → connected; or QR login (https://core.telegram.org/api/qr-login): `qr` →
 * `qr_waiting`, polled until a phone scans the token → (2FA) `password_needed` → connected.
 */
export function telegramFlow(gateway: TelegramGateway): TelegramStepFlow {
  /** What an authorized / password-needed answer from Telegram leads to. */
  function afterAuth(state: TelegramFlowState, result: TelegramAuthResult) {
    if (result.kind === 'password_needed') {
      return {
        kind: 'next',
        step: 'password_needed',
        state: { kind: state.kind, session: result.session, hint: result.hint },
        reply: { status: 'password_needed', hint: result.hint },
      } satisfies StepResult<TelegramFlowState>;
    }
    // The session string is the credential, sealed like every other mode's; it never expires.
    const credentials: TelegramCredentials = { type: 'telegram', session: result.session };
    return {
      kind: 'connect',
      account: telegramAccount(result.user, state.kind),
      credentials,
    } satisfies StepResult<TelegramFlowState>;
  }

  return {
    mode: 'telegram',
    providerId: 'telegram',
    idPrefix: 'tgf_',
    label: 'Telegram',
    ttlSeconds: TELEGRAM_FLOW_TTL_SECONDS,
    maxTries: TELEGRAM_MAX_TRIES,
    maxFlowsPerHour: TELEGRAM_MAX_FLOWS_PER_HOUR,
    pollMs: TELEGRAM_QR_POLL_MS,
    starts: {
      /** Telegram sends a code to the user's app (or SMS). */
      phone: {
        watchable: false,
        async run({ phone }) {
          const sent = await gateway.sendCode({ phone });
          return {
            step: 'code_sent',
            state: {
              kind: 'phone',
              phone,
              session: sent.session,
              phoneCodeHash: sent.phoneCodeHash,
            },
            reply: { codeLength: sent.codeLength, timeoutSeconds: sent.timeoutSeconds },
          };
        },
      },
      /** A `tg://login` token for the user's Telegram app to scan. */
      qr: {
        watchable: true,
        async run() {
          const result = await gateway.exportLoginToken({});
          if (result.kind !== 'token') {
            // A brand-new session cannot be logged in already; Telegram answered something else.
            throw new PlugboardError(
              'PROVIDER_ERROR',
              'Telegram did not issue a login token. Try again.',
            );
          }
          return {
            step: 'qr_waiting',
            state: { kind: 'qr', session: result.session },
            reply: { loginUrl: loginUrl(result.token), expiresAt: result.expiresAt.toISOString() },
          };
        },
      },
    },
    steps: {
      code_sent: {
        actions: {
          code: {
            counted: true,
            async run(state, { code }) {
              if (!state.phone || !state.phoneCodeHash)
                throw new PlugboardError('FLOW_STEP_INVALID');
              const result = await gateway.signIn({
                session: state.session,
                phone: state.phone,
                phoneCodeHash: state.phoneCodeHash,
                code,
              });
              return afterAuth(state, result);
            },
            onError: (code: ErrorCode) =>
              code === 'CODE_INVALID'
                ? 'wrong_answer'
                : // An expired (or already used) code cannot become valid again.
                  code === 'CODE_EXPIRED'
                  ? 'end'
                  : 'keep',
          },
        },
      },
      password_needed: {
        actions: {
          password: {
            counted: true,
            async run(state, { password }) {
              const result = await gateway.checkPassword({ session: state.session, password });
              return afterAuth(state, result);
            },
            onError: (code: ErrorCode) => (code === 'PASSWORD_INVALID' ? 'wrong_answer' : 'keep'),
          },
        },
        // verifyPassword finishes it; a watch only reports that it waits.
        waiting: (state) => ({ status: 'password_needed', hint: state.hint ?? null }),
      },
      qr_waiting: {
        // MTProto would push `updateLoginToken`, which plain HTTP cannot: poll instead. Telegram
        // re-issues the token every ~30 s; each new one is a new `waiting` reply.
        poll: {
          counted: false,
          async run(state) {
            const result = await gateway.exportLoginToken({ session: state.session });
            if (result.kind === 'token') {
              return {
                kind: 'stay',
                reply: {
                  status: 'waiting',
                  loginUrl: loginUrl(result.token),
                  expiresAt: result.expiresAt.toISOString(),
                },
              };
            }
            return afterAuth(state, result);
          },
          // Passing trouble: keep waiting, the token may still be scanned.
          onError: (code: ErrorCode) =>
            code === 'PROVIDER_UNAVAILABLE' || code === 'FLOOD_WAIT' ? 'keep' : 'end',
        },
      },
    },
  };
}
