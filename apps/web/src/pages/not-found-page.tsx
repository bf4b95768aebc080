import { Link } from '../lib/router';

export function NotFoundPage() {
  return (
    <section className="panel panel-centered">
      <title>Page not found · Plugboard</title>
      <h1 tabIndex={-1}>This page does not exist</h1>
      <p className="lede">The address may be mistyped, or the page has moved.</p>
      <div className="result-actions">
        <Link href="/" className="button button-primary">
          Back to your connections
        </Link>
      </div>
    </section>
  );
}
