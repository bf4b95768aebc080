import type { AppRouter } from '@plugboard/api';
import type { ProviderId } from '@plugboard/contracts';
import { createTRPCClient, httpLink } from '@trpc/client';

/**
 * A minimal browser for integration tests: a cookie jar per host, an Origin header like a page
 * of the Connect UI would send, manual redirects, and consent-form submission on the mock.
 */
export class BrowserAgent {
  private jar = new Map<string, Map<string, string>>();
  /** Every URL this browser navigated to, like the history (plus redirects in between). */
  readonly visited: string[] = [];

  constructor(private readonly origin: string) {}

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const u = new URL(url);
    const headers = new Headers(init.headers);
    const cookies = this.jar.get(u.host);
    if (cookies?.size) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const jar = this.jar.get(u.host) ?? new Map<string, string>();
      jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
      this.jar.set(u.host, jar);
    }
    return res;
  }

  /** GET and follow redirects (across hosts), returning the final response and its URL. */
  async navigate(url: string, init: RequestInit = {}): Promise<{ res: Response; url: string }> {
    let current = url;
    let res = await this.fetch(current, init);
    this.visited.push(current);
    for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 10; hops++) {
      current = new URL(res.headers.get('location')!, current).toString();
      res = await this.fetch(current);
      this.visited.push(current);
    }
    return { res, url: current };
  }

  /**
   * Presses "Allow" or "Deny" on a mock provider's consent page and returns the provider's own
   * answer, without following it (tests that tamper with the callback stop here).
   */
  async submitConsent(consentUrl: string, html: string, decision: 'allow' | 'deny') {
    const form = /<form[^>]*method="post"[^>]*action="([^"]*)"/i.exec(html);
    if (!form) throw new Error('no consent form on the page');
    const fields = new URLSearchParams();
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
      fields.set(m[1]!, decodeHtml(m[2]!));
    }
    fields.set('decision', decision);
    const action = new URL(decodeHtml(form[1]!), consentUrl).toString();
    const res = await this.fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
    });
    this.visited.push(action);
    return { res, action };
  }

  /** Submits the consent form on a mock provider page by pressing "Allow" or "Deny". */
  async decide(consentUrl: string, html: string, decision: 'allow' | 'deny') {
    const { res, action } = await this.submitConsent(consentUrl, html, decision);
    const location = res.headers.get('location');
    if (!location) throw new Error(`consent did not redirect (HTTP ${res.status})`);
    return this.navigate(new URL(location, action).toString());
  }

  /** The typed tRPC client, as the Connect UI uses it (cookie + same-origin Origin). */
  trpc(baseUrl: string) {
    return createTRPCClient<AppRouter>({
      links: [
        httpLink({
          url: `${baseUrl}/trpc`,
          fetch: (url, init) =>
            this.fetch(String(url), {
              ...(init as RequestInit),
              headers: { ...(init?.headers as Record<string, string>), origin: this.origin },
            }),
        }),
      ],
    });
  }

  /**
   * Connects a provider as the Connect UI would: start, open the consent page, press Allow, and
   * read the attempt back. Needs a session (demo login or connect link) first.
   */
  async connect(baseUrl: string, providerId: ProviderId, inputs?: Record<string, string>) {
    const api = this.trpc(baseUrl);
    const started = await api.connect.oauth.start.mutate({
      providerId,
      ...(inputs ? { inputs } : {}),
    });
    const consent = await this.navigate(started.authorizationUrl);
    await this.decide(consent.url, await consent.res.text(), 'allow');
    return api.connect.attempts.get.query({ attemptId: started.attemptId });
  }

  /** Starts a demo session like the Connect UI's "Continue as demo user" button. */
  async demoLogin(baseUrl: string) {
    const res = await this.fetch(`${baseUrl}/dev/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: this.origin },
      body: '{}',
    });
    if (res.status !== 200) throw new Error(`demo login failed: HTTP ${res.status}`);
  }
}

function decodeHtml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
