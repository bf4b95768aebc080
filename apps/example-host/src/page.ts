/**
 * The example host's one page. The script block is what README "Embed in your app" shows: load
 * the SDK from Plugboard, hand it a `tokenCallback` that asks this app's backend for a connect
 * token, open the popup from the click. Everything the page writes is set as text (never HTML):
 * account labels come from the provider.
 */
export function renderPage(plugboardUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Example host — Plugboard</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #0f172a; }
  button { font: inherit; padding: .5rem 1rem; border-radius: .5rem; border: 1px solid #334155; background: #0f172a; color: #fff; cursor: pointer; }
  button:focus-visible { outline: 3px solid #2563eb; outline-offset: 2px; }
  section { margin-top: 1.5rem; }
  pre { background: #f1f5f9; padding: .75rem; border-radius: .5rem; overflow-x: auto; font-size: 13px; }
  .error { color: #b91c1c; }
</style>
</head>
<body>
<h1>Example host</h1>
<p>A host app on its own origin that embeds Plugboard: its backend mints connect tokens with an
API client, this page opens the Connect UI with <code>@plugboard/connect</code>.</p>
<button id="connect" type="button">Connect Notion</button>
<section aria-labelledby="status-title">
  <h2 id="status-title">Status</h2>
  <p id="status" role="status">Not connected yet.</p>
</section>
<section aria-labelledby="api-title">
  <h2 id="api-title">Notion API</h2>
  <p id="api-summary">Connect Notion to call its API from this app's backend.</p>
  <pre id="api-result" hidden></pre>
</section>
<script type="module">
  import { createPlugboardConnect } from ${JSON.stringify(`${plugboardUrl}/sdk/connect.js`)};

  const pb = createPlugboardConnect({
    tokenCallback: async () => (await fetch('/api/connect-token', { method: 'POST' })).text(),
  });
  document.getElementById('connect').addEventListener('click', () =>
    pb.open({
      providerId: 'notion',
      popupBlocked: 'modal',
      onSuccess: ({ connectionId, accountLabel }) => {
        say('Connected: ' + accountLabel + ' (' + connectionId + ')');
        callNotion(connectionId);
      },
      onError: ({ code, message }) => say(message + ' (' + code + ')', true),
      onClose: () => say('The connect window was closed before finishing.'),
    }),
  );

  function say(text, error = false) {
    const status = document.getElementById('status');
    status.textContent = text;
    status.className = error ? 'error' : '';
  }

  // This app's backend reads fresh credentials from Plugboard and calls Notion with them.
  async function callNotion(connectionId) {
    const summary = document.getElementById('api-summary');
    const result = document.getElementById('api-result');
    summary.textContent = 'Calling Notion…';
    const res = await fetch('/api/notion/me?connectionId=' + encodeURIComponent(connectionId));
    const body = await res.json();
    if (!res.ok) {
      summary.textContent = body.message;
      summary.className = 'error';
      return;
    }
    summary.className = '';
    summary.textContent =
      'Notion says: bot "' + body.name + '" in workspace "' + body.bot.workspace_name + '".';
    result.textContent = JSON.stringify(body, null, 2);
    result.hidden = false;
  }
  window.exampleHostReady = true;
</script>
</body>
</html>
`;
}
