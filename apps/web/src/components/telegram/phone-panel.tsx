import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../lib/trpc';
import { CodeStep } from './code-step';
import { PasswordStep } from './password-step';
import { PhoneStep } from './phone-step';
import type { ConnectedHandler, TelegramFlowId } from './types';

type PhoneState =
  | { step: 'phone' }
  | { step: 'code'; flowId: TelegramFlowId; phone: string; codeLength: number | null }
  | { step: 'password'; flowId: TelegramFlowId; hint: string | null };

/**
 * Phone number → code → (two-step password). Every step is its own component with its own
 * `key`, so each arrives with a fresh, empty, focused field (see use-step-focus.ts).
 */
export function PhonePanel({ onConnected }: { onConnected: ConnectedHandler }) {
  const trpc = useTRPC();
  const [state, setState] = useState<PhoneState>({ step: 'phone' });

  const sendCode = useMutation(
    trpc.connect.telegram.sendCode.mutationOptions({
      onSuccess: ({ flowId, codeLength }, input) =>
        setState({ step: 'code', flowId, phone: input.phone, codeLength }),
    }),
  );
  const verifyCode = useMutation(
    trpc.connect.telegram.verifyCode.mutationOptions({
      onSuccess: (result, input) =>
        result.status === 'connected'
          ? onConnected(result.connection)
          : setState({ step: 'password', flowId: input.flowId, hint: result.hint }),
    }),
  );

  const startOver = () => {
    sendCode.reset();
    verifyCode.reset();
    setState({ step: 'phone' });
  };

  switch (state.step) {
    case 'phone':
      return (
        <PhoneStep
          key="phone"
          onSubmit={(phone) => sendCode.mutate({ phone })}
          pending={sendCode.isPending}
          error={sendCode.error}
        />
      );
    case 'code':
      return (
        <CodeStep
          key={`code-${state.flowId}`}
          phone={state.phone}
          codeLength={state.codeLength}
          onSubmit={(code) => verifyCode.mutate({ flowId: state.flowId, code })}
          onStartOver={startOver}
          pending={verifyCode.isPending}
          error={verifyCode.error}
        />
      );
    case 'password':
      return (
        <PasswordStep
          key={`password-${state.flowId}`}
          flowId={state.flowId}
          hint={state.hint}
          onConnected={onConnected}
          onStartOver={startOver}
        />
      );
  }
}
