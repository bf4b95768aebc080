import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

// A two-page app needs no router library: the pathname picks the page, and history.pushState
// plus one event keeps React in step with the address bar.
const NAVIGATE_EVENT = 'plugboard:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

// A string snapshot (not the Location object) so React only re-renders on a real change.
const currentHref = () => window.location.pathname + window.location.search;

export interface AppLocation {
  pathname: string;
  searchParams: URLSearchParams;
}

export function useLocation(): AppLocation {
  const href = useSyncExternalStore(subscribe, currentHref);
  const url = new URL(href, window.location.origin);
  return { pathname: url.pathname, searchParams: url.searchParams };
}

/** Routes this app renders itself; any other path is left to a full page load. */
export function isAppPath(href: string): boolean {
  const { pathname, origin } = new URL(href, window.location.origin);
  return origin === window.location.origin && (pathname === '/' || pathname === '/connect/result');
}

export function navigate(href: string, { replace = false } = {}): void {
  if (!isAppPath(href)) {
    window.location.assign(href);
    return;
  }
  if (replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
  window.scrollTo(0, 0);
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string };

/** An ordinary link (so it can be opened in a new tab) that navigates in place when it can. */
export function Link({ href, onClick, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
    if (event.defaultPrevented || modified || event.button !== 0 || !isAppPath(href)) return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handleClick} {...rest} />;
}
