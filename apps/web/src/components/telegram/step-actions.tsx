import { errorMessageWithRetryOf } from '../../lib/errors';
import { ErrorAlert } from '../error-alert';

/** "Start over" and the step's submit button, both held while its call runs. */
export function StepActions(props: {
  pending: boolean;
  onStartOver: () => void;
  submitLabel: string;
}) {
  return (
    <div className="dialog-actions">
      <button
        type="button"
        className="button button-secondary"
        onClick={props.onStartOver}
        disabled={props.pending}
      >
        Start over
      </button>
      <button type="submit" className="button button-primary" disabled={props.pending}>
        {props.pending ? 'Checking…' : props.submitLabel}
      </button>
    </div>
  );
}

/** A failed call's message; `id` lets the step's field point at it (aria-describedby). */
export function StepError({ id, error }: { id: string; error: unknown }) {
  return error ? <ErrorAlert id={id}>{errorMessageWithRetryOf(error)}</ErrorAlert> : null;
}
