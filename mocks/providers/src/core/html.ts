/** Server-rendered pages (consent, errors). Plain HTML: no script, so they work in any browser. */
import type { FastifyReply } from 'fastify';

export interface Brand {
  /** The provider's name as users know it ("Notion"). */
  name: string;
  /** Header and primary-button colour, CSS syntax. */
  colour: string;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * The shared page frame (branded header, card), for personality pages that are neither consent
 * nor error pages, e.g. Telegram's phone and scan pages. `body` is trusted HTML: escape inputs.
 */
export function renderPage(brand: Brand, title: string, body: string): string {
  return layout(brand, title, body);
}

function layout(brand: Brand, title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(brand.name)} (mock)</title>
<style>
  body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: #f6f6f4; color: #1f1f1f; }
  header { background: ${brand.colour}; color: #fff; padding: 12px 24px; font-weight: 600; }
  header small { font-weight: 400; opacity: .75; margin-left: 8px; }
  main { max-width: 440px; margin: 40px auto; background: #fff; border-radius: 10px;
         padding: 24px 28px; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
  h1 { font-size: 20px; margin: 0 0 16px; }
  dl { margin: 0 0 16px; } dt { font-size: 13px; color: #666; } dd { margin: 0 0 8px; }
  .actions { display: flex; gap: 12px; justify-content: flex-end; margin-top: 24px; }
  button { font: inherit; padding: 8px 20px; border-radius: 6px; border: 1px solid #ccc;
           background: #fff; cursor: pointer; }
  button.primary { background: ${brand.colour}; border-color: ${brand.colour}; color: #fff; }
</style>
</head>
<body>
<header>${escapeHtml(brand.name)}<small>mock provider</small></header>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface ConsentPageInput {
  brand: Brand;
  /** The app asking for access (the registered client's name). */
  clientName: string;
  /** Who is signed in, e.g. "Ada Lovelace · ada@acme.example". */
  account: string;
  /** Extra facts shown under the account, e.g. the workspace. */
  details?: readonly { label: string; value: string }[];
  /** What the app will be able to do (scopes or capabilities), in words. */
  permissions: readonly string[];
  /** Where the form posts; the decision arrives as `decision=allow|deny`. */
  action: string;
  /** Id of the pending request held server-side; nothing secret goes into the page. */
  pendingId: string;
}

/** A consent page with buttons named exactly "Allow" and "Deny" (tests find them by role). */
export function renderConsentPage(input: ConsentPageInput): string {
  const details = (input.details ?? [])
    .map((d) => `<dt>${escapeHtml(d.label)}</dt><dd>${escapeHtml(d.value)}</dd>`)
    .join('');
  const permissions = input.permissions.map((p) => `<li>${escapeHtml(p)}</li>`).join('');
  return layout(
    input.brand,
    `Authorize ${input.clientName}`,
    `<h1>${escapeHtml(input.clientName)} wants to access your ${escapeHtml(input.brand.name)} account</h1>
<dl><dt>Signed in as</dt><dd>${escapeHtml(input.account)}</dd>${details}</dl>
<p>${escapeHtml(input.clientName)} will be able to:</p>
<ul>${permissions}</ul>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="pending" value="${escapeHtml(input.pendingId)}">
<div class="actions">
<button type="submit" name="decision" value="deny">Deny</button>
<button type="submit" name="decision" value="allow" class="primary">Allow</button>
</div>
</form>`,
  );
}

/** The page a provider shows instead of redirecting when it cannot trust the redirect URI. */
export function renderErrorPage(brand: Brand, title: string, message: string): string {
  return layout(
    brand,
    title,
    `<h1>${escapeHtml(title)}</h1>
<p role="alert">${escapeHtml(message)}</p>`,
  );
}

/**
 * Sends a page. `no-store`: consent and error pages carry a one-time pending id or describe one
 * request, so a back button must not replay them from cache.
 */
export function htmlPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}
