import { Trans, useLingui } from '@lingui/react';
import { useCallback, useMemo, type ReactElement } from 'react';
import type { MessageId } from './i18n';

type Values = Record<string, unknown>;

/** `t('connections.title')`: a message of the active locale; ids are checked by tsc. */
export function useT() {
  // `_` changes with the locale (the `i18n` object does not), so memoised callers update.
  const { _ } = useLingui();
  return useCallback((id: MessageId, values?: Values) => _(id, values), [_]);
}

/**
 * The message with this id if the active catalog has it, else `fallback`: for text the server
 * also sends in English (provider descriptions), so something new still shows, in English.
 */
export function useTranslateOr() {
  const { i18n, _ } = useLingui();
  return useCallback(
    (id: string, fallback: string, values?: Values) =>
      Object.hasOwn(i18n.messages, id) ? _(id, values) : fallback,
    [i18n, _],
  );
}

interface TProps {
  id: MessageId;
  values?: Values;
  /** Elements for the message's numbered tags: `Connected as <0>{user}</0>`. */
  components?: Record<string, ReactElement>;
}

/** A message with markup inside (`<0>…</0>`), which translators can move as the grammar needs. */
export function T({ id, values, components }: TProps) {
  return <Trans id={id} values={values} components={components} />;
}

/** Dates, times and numbers in the active locale, through Intl (ECMA-402). */
export function useFormat() {
  const { i18n } = useLingui();
  const locale = i18n.locale;
  return useMemo(() => {
    const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    const exact = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    return { locale, relative, exact };
  }, [locale]);
}
