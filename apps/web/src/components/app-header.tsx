import type { SessionDto, ThemeDto } from '@plugboard/contracts';
import { T, useT } from '../i18n/react';
import { Link } from '../lib/router';

interface AppHeaderProps {
  session: SessionDto | null | undefined;
  /** The host's name and logo; null until known (or when the server has none configured). */
  theme: ThemeDto | null;
  /** The theme is still loading: show no brand yet rather than a default that then changes. */
  themePending?: boolean;
}

export function AppHeader({ session, theme, themePending = false }: AppHeaderProps) {
  const t = useT();
  const name = theme?.name ?? 'Plugboard';
  return (
    <header className="app-header">
      <div className="app-header-inner">
        <Link href="/" className="brand" data-pending={themePending || undefined}>
          {theme?.logoUrl ? (
            // The name beside it says who this is: the logo itself is decoration.
            <img className="brand-logo" src={theme.logoUrl} alt="" referrerPolicy="no-referrer" />
          ) : name === 'Plugboard' ? (
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
          ) : null}
          <span>{name}</span>
        </Link>
        {session ? (
          <p className="session-user">
            <T
              id="header.connectedAs"
              // The token's endUserLabel (what the app calls this person), else the raw id.
              values={{ user: session.endUserLabel ?? session.externalUserId }}
              components={{
                0: <span className="session-user-prefix" />,
                1: <strong title={session.endUserLabel ?? session.externalUserId} />,
              }}
            />
            {session.demo ? <span className="badge badge-neutral">{t('header.demo')}</span> : null}
          </p>
        ) : null}
      </div>
    </header>
  );
}
