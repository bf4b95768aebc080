import type { ConnectionDto, TelegramVerifyCodeInput } from '@plugboard/contracts';

export type TelegramFlowId = TelegramVerifyCodeInput['flowId'];

/** Saves the new connection and closes the dialog. */
export type ConnectedHandler = (connection: ConnectionDto) => Promise<void>;
