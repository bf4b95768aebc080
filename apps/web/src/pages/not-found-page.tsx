import { useT } from '../i18n/react';
import { Link } from '../lib/router';

export function NotFoundPage() {
  const t = useT();
  return (
    <section className="panel panel-centered">
      <title>{t('notFound.documentTitle')}</title>
      <h1 tabIndex={-1}>{t('notFound.title')}</h1>
      <p className="lede">{t('notFound.text')}</p>
      <div className="result-actions">
        <Link href="/" className="button button-primary">
          {t('result.back')}
        </Link>
      </div>
    </section>
  );
}
