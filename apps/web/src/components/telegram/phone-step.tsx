import type { CountryCode } from 'libphonenumber-js';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { describedBy } from '../../lib/described-by';
import { ErrorAlert } from '../error-alert';
import { StepError } from './step-actions';
import { countryOptions, defaultCountry, parsePhone } from './phone-number';
import { useStepFocus } from './use-step-focus';

interface PhoneStepProps {
  /** Sends the code to this number, in E.164 (`+15550000001`). */
  onSubmit: (e164: string) => void;
  pending: boolean;
  error: unknown;
}

export function PhoneStep({ onSubmit, pending, error }: PhoneStepProps) {
  const countryId = useId();
  const phoneId = useId();
  const hintId = `${phoneId}-hint`;
  const problemId = `${phoneId}-problem`;
  const errorId = `${phoneId}-error`;
  const locale = document.documentElement.lang || 'en';
  const countries = useMemo(() => countryOptions(locale), [locale]);
  const [country, setCountry] = useState<CountryCode>(() => defaultCountry(navigator.languages));
  const [phone, setPhone] = useState('');
  // A new object per refusal, so the focus returns to the field even for the same message.
  const [problem, setProblem] = useState<{ message: string } | null>(null);
  const phoneRef = useStepFocus(problem ?? error);

  const countryName = countries.find((c) => c.code === country)?.label ?? country;

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = parsePhone(phone, country);
    if (!parsed.ok) {
      setProblem({
        message: phone.trim().startsWith('+')
          ? 'That is not a valid phone number. Check the country code and the number.'
          : `That is not a valid phone number for ${countryName}. Check the number, or pick another country.`,
      });
      return;
    }
    setProblem(null);
    onSubmit(parsed.e164);
  };

  // Formatted when the person leaves the field, not while typing: reformatting under the caret
  // fights with editing (a deleted bracket comes straight back).
  const handleBlur = () => {
    const parsed = parsePhone(phone, country);
    if (!parsed.ok) return;
    if (phone.trim().startsWith('+')) {
      if (parsed.country) setCountry(parsed.country);
      setPhone(parsed.international);
    } else {
      setPhone(parsed.national);
    }
  };

  const invalid = problem !== null || Boolean(error);
  return (
    <form className="dialog-form" onSubmit={handleSubmit} noValidate aria-busy={pending}>
      <div className="field">
        <label htmlFor={countryId}>Country</label>
        <select
          id={countryId}
          name="country"
          autoComplete="country"
          value={country}
          onChange={(event) => setCountry(event.target.value as CountryCode)}
          disabled={pending}
        >
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={phoneId}>Phone number</label>
        <input
          ref={phoneRef}
          id={phoneId}
          name="phone"
          type="tel"
          autoComplete="tel"
          required
          spellCheck={false}
          value={phone}
          onChange={(event) => setPhone(event.target.value)}
          onBlur={handleBlur}
          aria-describedby={describedBy(hintId, problem ? problemId : error ? errorId : null)}
          aria-invalid={invalid || undefined}
          disabled={pending}
        />
        <p className="field-hint" id={hintId}>
          The number of your Telegram account, as you would dial it at home. Or start with + and the
          country code.
        </p>
      </div>
      {problem ? (
        <ErrorAlert id={problemId}>{problem.message}</ErrorAlert>
      ) : (
        <StepError id={errorId} error={error} />
      )}
      <div className="dialog-actions">
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Sending code…' : 'Send code'}
        </button>
      </div>
    </form>
  );
}
