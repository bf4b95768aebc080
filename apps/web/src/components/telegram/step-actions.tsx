import { useT } from '../../i18n/react';
import { useErrorText } from '../../lib/errors';
import { ErrorAlert } from '../error-alert';

/** "Start over" and the step's submit button, both held while its call runs. */
export function StepActions(props: {
  pending: boolean;
  onStartOver: () => void;
  submitLabel: string;
}) {
  const t = useT();
  return (
    <div className="dialog-actions">
      <button
        type="button"
        className="button button-secondary"
        onClick={props.onStartOver}
        disabled={props.pending}
      >
        {t('telegram.startOver')}
      </button>
      <button type="submit" className="button button-primary" disabled={props.pending}>
        {props.pending ? t('telegram.checking') : props.submitLabel}
      </button>
    </div>
  );
}

/** A failed call's message; `id` lets the step's field point at it (aria-describedby). */
export function StepError({ id, error }: { id: string; error: unknown }) {
  const errorText = useErrorText();
  return error ? <ErrorAlert id={id}>{errorText.withRetry(error)}</ErrorAlert> : null;
}
