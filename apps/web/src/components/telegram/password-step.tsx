import { useMutation } from '@tanstack/react-query';
import { useId, type FormEvent } from 'react';
import { describedBy } from '../../lib/described-by';
import { useTRPC } from '../../lib/trpc';
import { StepActions, StepError } from './step-actions';
import type { ConnectedHandler, TelegramFlowId } from './types';
import { useStepFocus } from './use-step-focus';

interface PasswordStepProps {
  flowId: TelegramFlowId;
  hint: string | null;
  onConnected: ConnectedHandler;
  onStartOver: () => void;
}

/** Two-step verification, after a phone code or an approved QR code. */
export function PasswordStep({ flowId, hint, onConnected, onStartOver }: PasswordStepProps) {
  const trpc = useTRPC();
  const passwordId = useId();
  const hintId = `${passwordId}-hint`;
  const errorId = `${passwordId}-error`;
  const verifyPassword = useMutation(
    trpc.connect.telegram.verifyPassword.mutationOptions({
      onSuccess: (result) => onConnected(result.connection),
    }),
  );
  const passwordRef = useStepFocus(verifyPassword.error);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Not trimmed: spaces can be part of a password.
    const password = String(new FormData(event.currentTarget).get('password') ?? '');
    verifyPassword.mutate({ flowId, password });
  };

  const failed = verifyPassword.isError;
  return (
    <form className="dialog-form" onSubmit={handleSubmit} aria-busy={verifyPassword.isPending}>
      <p>This account has two-step verification. Enter the password you set in Telegram.</p>
      <div className="field">
        <label htmlFor={passwordId}>Two-step verification password</label>
        <input
          ref={passwordRef}
          id={passwordId}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          maxLength={256}
          aria-describedby={describedBy(hint && hintId, failed && errorId)}
          aria-invalid={failed || undefined}
          disabled={verifyPassword.isPending}
        />
        {hint ? (
          <p className="field-hint" id={hintId}>
            Hint: {hint}
          </p>
        ) : null}
      </div>
      <StepError id={errorId} error={verifyPassword.error} />
      <StepActions
        pending={verifyPassword.isPending}
        onStartOver={onStartOver}
        submitLabel="Verify password"
      />
    </form>
  );
}
