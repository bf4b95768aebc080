import { escapeHtml, htmlPage, renderErrorPage, renderPage } from '../core/html';
import type { Brand } from '../core/html';
import { readParams } from '../core/oauth';
import type { ProviderRouter } from '../core/personality';
import type { TelegramAccount } from './accounts';
import { displayName, normalizePhone } from './accounts';
import type { TelegramDeps } from './methods';
import type { SentCode } from './state';

/**
 * Pages for people and browser tests, in place of a real phone: the "phone" page shows the
 * Telegram messages (login codes) sent to a number, the "scan" page lists QR login tokens waiting
 * for a logged-in device to approve them (what `auth.acceptLoginToken` does on a real phone).
 */

/** Extra styles for these pages; the shared frame has none for message lists. */
const STYLE = `<style>
  ol.messages { list-style: none; padding: 0; margin: 0; }
  ol.messages li { background: #eef7fd; border-radius: 10px; padding: 10px 14px; margin: 0 0 10px; }
  ol.messages li.stale { opacity: .55; }
  .meta { font-size: 13px; color: #666; }
  .code { font-size: 20px; font-weight: 700; letter-spacing: 2px; }
  form.request { border: 1px solid #e3e3e3; border-radius: 10px; padding: 12px 14px; margin: 0 0 12px; }
  label { display: block; margin: 8px 0; }
  input, select { font: inherit; padding: 6px 8px; }
</style>`;

function formatPhone(phone: string): string {
  return `+${phone}`;
}

function time(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

function accountLine(account: TelegramAccount): string {
  return `${displayName(account)} (@${account.username}) · ${formatPhone(account.phone)}`;
}

function message(sent: SentCode, now: number): string {
  const status = sent.used
    ? 'Used'
    : now >= sent.expiresAt
      ? 'Expired'
      : `Valid until ${time(sent.expiresAt)}`;
  const stale = sent.used || now >= sent.expiresAt;
  // Telegram's own wording for login codes, so the page reads like the real message.
  return `<li${stale ? ' class="stale"' : ''}>
<div class="meta"><strong>Telegram</strong> · ${escapeHtml(time(sent.sentAt))}</div>
<p>Login code: <span class="code">${escapeHtml(sent.code)}</span>. Do not give this code to anyone, even if they say they are from Telegram!</p>
<div class="meta">${escapeHtml(status)}</div>
</li>`;
}

export function registerPageRoutes(router: ProviderRouter, deps: TelegramDeps, brand: Brand) {
  const { ctx, state, accounts } = deps;
  const prefix = `/${ctx.id}`;

  router.get('/phone', 'phone', async (request, reply) => {
    const params = readParams(request.query);
    const known = accounts
      .all()
      .map(
        (a) =>
          `<li><a href="${prefix}/phone?phone=%2B${escapeHtml(a.phone)}">${escapeHtml(accountLine(a))}</a></li>`,
      )
      .join('');
    if (params.phone === undefined || params.phone === '') {
      return htmlPage(
        reply,
        200,
        renderPage(
          brand,
          'Phone',
          `${STYLE}<h1>Which phone?</h1>
<form method="get" action="${prefix}/phone">
<label>Phone number <input name="phone" type="tel" placeholder="+15550000001"></label>
<div class="actions"><button type="submit" class="primary">Show messages</button></div>
</form>
<p>Test accounts:</p><ul>${known}</ul>`,
        ),
      );
    }
    const phone = normalizePhone(params.phone);
    if (phone === undefined) {
      return htmlPage(
        reply,
        400,
        renderErrorPage(
          brand,
          'Invalid phone number',
          'Use the international format: +15550000001.',
        ),
      );
    }
    const account = accounts.byPhone(phone);
    const now = ctx.clock.now();
    const messages = [...state.inbox(phone)].reverse();
    const list =
      messages.length === 0
        ? '<p>No messages yet. Ask the app to send a code, then refresh.</p>'
        : `<ol class="messages" aria-label="Messages from Telegram">${messages.map((m) => message(m, now)).join('')}</ol>`;
    return htmlPage(
      reply,
      200,
      renderPage(
        brand,
        `Phone ${formatPhone(phone)}`,
        `${STYLE}<h1>Telegram on ${escapeHtml(formatPhone(phone))}</h1>
<p class="meta">${escapeHtml(account === undefined ? 'No Telegram account has this number: signing in would need a sign-up.' : accountLine(account))}</p>
${list}
<form method="get" action="${prefix}/phone">
<input type="hidden" name="phone" value="${escapeHtml(formatPhone(phone))}">
<div class="actions"><a href="${prefix}/scan">Scan a QR code</a><button type="submit">Refresh</button></div>
</form>`,
      ),
    );
  });

  router.get('/scan', 'scan', async (request, reply) => {
    const params = readParams(request.query);
    const approved = params.approved === undefined ? undefined : accounts.byPhone(params.approved);
    const now = ctx.clock.now();
    const options = accounts
      .all()
      .map((a) => `<option value="${escapeHtml(a.phone)}">${escapeHtml(accountLine(a))}</option>`)
      .join('');
    const pending = state.pendingLoginTokens();
    const requests =
      pending.length === 0
        ? '<p>No login requests waiting. Show the QR code in the app, then refresh.</p>'
        : pending
            .map((t, i) => {
              const seconds = Math.max(0, Math.ceil((t.expiresAt - now) / 1000));
              return `<form class="request" method="post" action="${prefix}/scan" aria-label="Login request ${i + 1}">
<p>An app (api_id ${t.apiId}) wants to log in with token <code>${escapeHtml(t.token.slice(0, 8))}…</code>, expiring in ${seconds} s.</p>
<input type="hidden" name="token" value="${escapeHtml(t.token)}">
<label>Log in as <select name="phone">${options}</select></label>
<div class="actions"><button type="submit" class="primary">Approve login</button></div>
</form>`;
            })
            .join('');
    const notice =
      approved === undefined
        ? ''
        : `<p role="status">Login approved as ${escapeHtml(displayName(approved))}. The app finishes signing in on its next check.</p>`;
    return htmlPage(
      reply,
      200,
      renderPage(
        brand,
        'Scan QR code',
        `${STYLE}<h1>Scan a QR login</h1>
${notice}
<p class="meta">On a real phone: Settings → Devices → Link Desktop Device.</p>
${requests}
<form method="get" action="${prefix}/scan"><div class="actions"><button type="submit">Refresh</button></div></form>`,
      ),
    );
  });

  router.post('/scan', 'scan.approve', async (request, reply) => {
    const params = readParams(request.body);
    const phone = normalizePhone(params.phone);
    const account = phone === undefined ? undefined : accounts.byPhone(phone);
    if (account === undefined || params.token === undefined) {
      return htmlPage(
        reply,
        400,
        renderErrorPage(brand, 'Cannot approve', 'Choose an account and a login request.'),
      );
    }
    const result = state.approveLoginToken(params.token, account.userId);
    if (!result.ok) {
      const why = {
        unknown: 'This login request does not exist (the mock may have been reset).',
        expired: 'This QR code has expired. The app shows a new one; scan that.',
        already_accepted: 'This login request was already approved.',
      }[result.reason];
      return htmlPage(reply, 400, renderErrorPage(brand, 'Cannot approve', why));
    }
    // Post/redirect/get, so reloading the confirmation does not post again.
    return reply.redirect(`${prefix}/scan?approved=${encodeURIComponent(account.phone)}`, 303);
  });
}
