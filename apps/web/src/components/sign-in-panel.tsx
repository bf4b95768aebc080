import { useMutation, useQueryClient } from '@tanstack/react-query';
import { T, useT } from '../i18n/react';
import { ErrorAlert } from './error-alert';

interface SignInPanelProps {
  demoLoginAvailable: boolean;
}

/** A failed demo sign-in: `unavailable` when this server has no demo user. */
class DemoSessionError extends Error {
  constructor(readonly reason: 'unavailable' | 'failed') {
    super(reason);
  }
}

async function startDemoSession(): Promise<void> {
  const response = await fetch('/dev/session', {
    method: 'POST',
    // JSON (not a form post) so the request can never be a cross-site simple request.
    headers: { 'content-type': 'application/json' },
    body: '{}',
    credentials: 'same-origin',
  });
  if (response.status === 404) throw new DemoSessionError('unavailable');
  if (!response.ok) throw new DemoSessionError('failed');
}

/** Without a session there is nothing to show: the host app's connect link creates one. */
export function SignInPanel({ demoLoginAvailable }: SignInPanelProps) {
  const t = useT();
  const queryClient = useQueryClient();
  const demo = useMutation({
    mutationFn: startDemoSession,
    // Every query so far was answered for "no session": ask again as the new user.
    onSuccess: () => queryClient.invalidateQueries(),
  });

  return (
    <section className="panel panel-centered" aria-labelledby="sign-in-title">
      <svg className="panel-icon" viewBox="0 0 24 24" aria-hidden="true">
        <path
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
          strokeLinecap="round"
          strokeLinejoin="round"
          d="M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1"
        />
      </svg>
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      <p className="lede">
        <T id="signIn.lede" components={{ 0: <em /> }} />
      </p>
      {demoLoginAvailable ? (
        <div className="panel-actions">
          <button
            type="button"
            className="button button-primary"
            onClick={() => demo.mutate()}
            disabled={demo.isPending}
          >
            {demo.isPending ? t('signIn.demoStarting') : t('signIn.demoContinue')}
          </button>
          <p className="hint">{t('signIn.demoHint')}</p>
        </div>
      ) : null}
      {demo.error ? (
        <ErrorAlert>
          {demo.error instanceof DemoSessionError && demo.error.reason === 'unavailable'
            ? t('signIn.demoUnavailable')
            : t('signIn.demoFailed')}
        </ErrorAlert>
      ) : null}
    </section>
  );
}
