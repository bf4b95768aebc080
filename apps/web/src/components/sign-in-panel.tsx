import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ErrorAlert } from './error-alert';

interface SignInPanelProps {
  demoLoginAvailable: boolean;
}

async function startDemoSession(): Promise<void> {
  const response = await fetch('/dev/session', {
    method: 'POST',
    // JSON (not a form post) so the request can never be a cross-site simple request.
    headers: { 'content-type': 'application/json' },
    body: '{}',
    credentials: 'same-origin',
  });
  if (response.status === 404) throw new Error('The demo user is not available on this server.');
  if (!response.ok) throw new Error('The demo session could not be started. Try again.');
}

/** Without a session there is nothing to show: the host app's connect link creates one. */
export function SignInPanel({ demoLoginAvailable }: SignInPanelProps) {
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
      <h1 id="sign-in-title">Open this page from your app&apos;s connect link</h1>
      <p className="lede">
        Plugboard connects your accounts on behalf of the app you came from. Go back to that app and
        choose <em>Connect an account</em> (or similar) to get a fresh link.
      </p>
      {demoLoginAvailable ? (
        <div className="panel-actions">
          <button
            type="button"
            className="button button-primary"
            onClick={() => demo.mutate()}
            disabled={demo.isPending}
          >
            {demo.isPending ? 'Starting demo…' : 'Continue as demo user'}
          </button>
          <p className="hint">Development only: signs you in as a demo user.</p>
        </div>
      ) : null}
      {demo.error ? <ErrorAlert>{demo.error.message}</ErrorAlert> : null}
    </section>
  );
}
