import type { SessionDto } from '@plugboard/contracts';
import { Link } from '../lib/router';

interface AppHeaderProps {
  session: SessionDto | null | undefined;
}

export function AppHeader({ session }: AppHeaderProps) {
  return (
    <header className="app-header">
      <div className="app-header-inner">
        <Link href="/" className="brand">
          <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="8" fill="currentColor" />
            <path
              d="M11 8v6M21 8v6M8 14h16v3a8 8 0 0 1-16 0zM16 25v3"
              stroke="#fff"
              strokeWidth="2.5"
              fill="none"
              strokeLinecap="round"
            />
          </svg>
          <span>Plugboard</span>
        </Link>
        {session ? (
          <p className="session-user">
            <span className="session-user-prefix">Connected as </span>
            <strong title={session.externalUserId}>{session.externalUserId}</strong>
            {session.demo ? <span className="badge badge-neutral">Demo</span> : null}
          </p>
        ) : null}
      </div>
    </header>
  );
}
