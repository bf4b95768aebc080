import { useId, type FormEvent } from 'react';
import { describedBy } from '../../lib/described-by';
import { StepActions, StepError } from './step-actions';
import { formatInternational } from './phone-number';
import { useStepFocus } from './use-step-focus';

interface CodeStepProps {
  /** Where the code went, in E.164. */
  phone: string;
  codeLength: number | null;
  onSubmit: (code: string) => void;
  onStartOver: () => void;
  pending: boolean;
  error: unknown;
}

export function CodeStep({
  phone,
  codeLength,
  onSubmit,
  onStartOver,
  pending,
  error,
}: CodeStepProps) {
  const codeId = useId();
  const hintId = `${codeId}-hint`;
  const errorId = `${codeId}-error`;
  const codeRef = useStepFocus(error);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code') ?? '').replace(/\s/g, '');
    onSubmit(code);
  };

  return (
    <form className="dialog-form" onSubmit={handleSubmit} aria-busy={pending}>
      <div className="field">
        <label htmlFor={codeId}>Code</label>
        <input
          ref={codeRef}
          id={codeId}
          name="code"
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          pattern="\s*\d{3,8}\s*"
          maxLength={12}
          spellCheck={false}
          aria-describedby={describedBy(hintId, Boolean(error) && errorId)}
          aria-invalid={Boolean(error) || undefined}
          disabled={pending}
        />
        <p className="field-hint" id={hintId}>
          We sent a code to your Telegram app for {formatInternational(phone)}
          {codeLength ? ` (${codeLength} digits)` : ''}.
        </p>
      </div>
      <StepError id={errorId} error={error} />
      <StepActions pending={pending} onStartOver={onStartOver} submitLabel="Verify code" />
    </form>
  );
}
