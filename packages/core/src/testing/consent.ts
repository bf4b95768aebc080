import type { CallbackQuery } from '../services/oauth-flow';

function decodeHtml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * Opens a mock provider's consent page, presses Allow (or Deny) the way the form would submit,
 * and returns the query the provider redirects back to the callback with (code + state).
 */
export async function consentAtMock(
  authorizationUrl: string,
  decision: 'allow' | 'deny' = 'allow',
): Promise<CallbackQuery> {
  const page = await fetch(authorizationUrl, { redirect: 'manual' });
  const html = await page.text();
  const form = /<form[^>]*method="post"[^>]*action="([^"]*)"/i.exec(html);
  if (!form) throw new Error(`no consent form on the page (HTTP ${page.status})`);
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    fields.set(m[1]!, decodeHtml(m[2]!));
  }
  fields.set('decision', decision);
  const res = await fetch(new URL(decodeHtml(form[1]!), authorizationUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
  const location = res.headers.get('location');
  if (!location) throw new Error(`consent did not redirect (HTTP ${res.status})`);
  return Object.fromEntries(new URL(location).searchParams) as CallbackQuery;
}
