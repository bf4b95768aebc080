import { useEffect, useRef } from 'react';

/**
 * Focus for one step of a multi-step form: the step's field gets the focus when the step
 * appears, and again after a failed try. The field is disabled while its call runs, which drops
 * the focus to <body>; its text is selected then, so typing the corrected value replaces it.
 *
 * Each step is its own component, rendered with its own `key`: React never reuses one step's
 * <input> for the next, so no value or state can carry over (the code field once arrived holding
 * the phone number).
 */
export function useStepFocus(error: unknown) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  useEffect(() => {
    const field = ref.current;
    if (!error || !field) return;
    field.focus();
    field.select();
  }, [error]);
  return ref;
}
