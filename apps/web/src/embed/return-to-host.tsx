import { useT } from '../i18n/react';

/**
 * "Return to app.example.com" on the result page when the connect token named a redirect URL
 * for this outcome (issue 9 §2): the way back to the app the user came from.
 */
export function ReturnToHost({ href }: { href: string }) {
  const t = useT();
  return (
    <a href={href} className="button button-primary">
      {t('result.returnTo', { host: new URL(href).host })}
    </a>
  );
}
