import { useState } from 'react';
import { useT } from '../../i18n/react';
import { describedBy } from '../../lib/described-by';
import { ErrorAlert } from '../error-alert';

interface CredentialFieldProps {
  name: string;
  label: string;
  hint: string | null;
  placeholder: string | undefined;
  /** A credential: masked (with a Show/Hide button), never autofilled or spell-checked. */
  secret: boolean;
  inputId: string;
  /** The id of the error below the field, when the server refused this value. */
  errorId: string | null;
  error: string | null;
  disabled: boolean;
  inputRef: (node: HTMLInputElement | null) => void;
}

/**
 * A labelled text field with its hint and error (`aria-describedby`, `aria-invalid`). A secret
 * is a password field with a real button that shows or hides it, named for the field
 * ("Show Bot token"), as in https://design-system.service.gov.uk/components/password-input/.
 */
export function CredentialField({ inputRef, ...props }: CredentialFieldProps) {
  const t = useT();
  const [shown, setShown] = useState(false);
  const hintId = `${props.inputId}-hint`;
  const masked = props.secret && !shown;
  const input = (
    <input
      ref={inputRef}
      id={props.inputId}
      name={props.name}
      type={masked ? 'password' : 'text'}
      required
      // No autofill of, and no saved-password prompt for, someone else's API key.
      autoComplete="off"
      autoCapitalize="off"
      autoCorrect="off"
      spellCheck={false}
      placeholder={props.placeholder}
      aria-describedby={describedBy(props.hint && hintId, props.errorId)}
      aria-invalid={props.errorId ? true : undefined}
      disabled={props.disabled}
    />
  );
  return (
    <div className="field">
      <label htmlFor={props.inputId}>{props.label}</label>
      {props.secret ? (
        <div className="secret-input">
          {input}
          <button
            type="button"
            className="button button-secondary button-small"
            aria-label={
              shown
                ? t('apiKey.hideField', { field: props.label })
                : t('apiKey.showField', { field: props.label })
            }
            aria-controls={props.inputId}
            onClick={() => setShown((s) => !s)}
            disabled={props.disabled}
          >
            {shown ? t('apiKey.hide') : t('apiKey.show')}
          </button>
        </div>
      ) : (
        input
      )}
      {props.hint ? (
        <p className="field-hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      {props.errorId ? <ErrorAlert id={props.errorId}>{props.error}</ErrorAlert> : null}
    </div>
  );
}
