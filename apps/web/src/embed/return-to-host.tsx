import { useT } from '../i18n/react';

/**
 * "Return to app.example.com" on the result page when the connect token named a redirect URL
 * for this outcome (issue 9 §2): the way back to the app the user came from.
 */
export function ReturnToHost({ href, secondary = false }: { href: string; secondary?: boolean }) {
  const t = useT();
  return (
    <a href={href} className={secondary ? 'button button-secondary' : 'button button-primary'}>
      {t('result.returnTo', { host: new URL(href).host })}
    </a>
  );
}
