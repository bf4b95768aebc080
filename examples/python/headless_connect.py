#!/usr/bin/env python3
"""Connect an end user's account through Plugboard's REST API, from Python's standard library.

The headless OAuth flow (README "REST API"):

  1. POST /v1/oauth/attempts                      -> authorizationUrl, attemptId
  2. the user's browser opens authorizationUrl, consents at the provider and comes back to
     redirectUrl (here: a one-shot HTTP server on this machine) with ?attempt=…&status=…
  3. POST /v1/oauth/attempts/{attemptId}/complete -> connectionId
  4. POST /v1/connections/{connectionId}/credentials -> a fresh access token
  5. POST /v1/proxy/{connectionId}/v1/search        -> Notion's search, called by Plugboard with
     the connection's credentials (skip with --no-proxy)

Usage:
  PLUGBOARD_API_KEY=pk_… python3 headless_connect.py --url http://localhost:3000 --user ada

The last line printed is a JSON summary. Secrets (the API key, the access token) are never
printed. Exit status 1 with "error: CODE: message" on stderr when a call fails.
"""

import argparse
import http.server
import json
import os
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid


class PlugboardError(Exception):
    def __init__(self, status, code, message):
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code


class Plugboard:
    """A minimal client of /v1: JSON in, JSON out, errors as {"error": {"code", "message"}}."""

    def __init__(self, url, api_key):
        self.url = url.rstrip("/")
        self.api_key = api_key

    def call(self, method, path, body=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.api_key}")
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as err:
            payload = json.loads(err.read() or b"{}")
            error = payload.get("error", {}) if isinstance(payload, dict) else {}
            raise PlugboardError(
                err.code, error.get("code", f"HTTP_{err.code}"), error.get("message", err.reason)
            ) from None


def wait_for_browser(timeout_seconds):
    """A one-shot local server: where the browser returns after the consent."""
    arrived = {}
    done = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
            arrived.update({k: v[0] for k, v in query.items()})
            page = b"Done. You can close this window and go back to the app."
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)
            done.set()

        def log_message(self, *args):  # the query carries the attempt id: keep it off the terminal
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    redirect_url = f"http://127.0.0.1:{server.server_address[1]}/done"

    def wait():
        try:
            if not done.wait(timeout_seconds):
                raise TimeoutError("the browser did not come back in time")
            return arrived
        finally:
            server.shutdown()
            server.server_close()

    return redirect_url, wait


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("PLUGBOARD_URL", "http://localhost:3000"))
    parser.add_argument("--provider", default="notion")
    parser.add_argument("--user", default="python-example-user", help="the externalUserId")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for the browser")
    parser.add_argument("--no-proxy", action="store_true", help="stop after the credentials")
    args = parser.parse_args()
    api_key = os.environ.get("PLUGBOARD_API_KEY")
    if not api_key:
        sys.exit("error: set PLUGBOARD_API_KEY to a Plugboard API key (pk_…)")
    plugboard = Plugboard(args.url, api_key)

    redirect_url, wait = wait_for_browser(args.timeout)
    # A retry of this POST (say after a timeout) with the same key starts no second attempt.
    _, started = plugboard.call(
        "POST",
        "/v1/oauth/attempts",
        {"providerId": args.provider, "externalUserId": args.user, "redirectUrl": redirect_url},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    attempt_id = started["attemptId"]
    print(f"Open this URL in a browser: {started['authorizationUrl']}", flush=True)

    back = wait()
    if back.get("attempt") != attempt_id:
        sys.exit("error: the browser came back from another attempt")
    _, completed = plugboard.call("POST", f"/v1/oauth/attempts/{attempt_id}/complete")
    if completed["status"] != "completed":
        error = completed.get("error") or {}
        sys.exit(f"error: {error.get('code', completed['status'])}: {error.get('message', '')}")
    connection_id = completed["connectionId"]
    print(f"Connected: {connection_id}", flush=True)

    _, credentials = plugboard.call("POST", f"/v1/connections/{connection_id}/credentials", {})
    summary = {
        "connectionId": connection_id,
        "providerId": credentials["providerId"],
        "credentialsType": credentials["type"],
        "hasAccessToken": bool(credentials["accessToken"]),
        "expiresAt": credentials["expiresAt"],
    }
    if not args.no_proxy:
        # Notion's search (https://developers.notion.com/reference/post-search), through Plugboard.
        status, found = plugboard.call(
            "POST", f"/v1/proxy/{connection_id}/v1/search", {"page_size": 10}
        )
        summary["proxyStatus"] = status
        summary["searchResults"] = len(found.get("results", []))
    print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    try:
        main()
    except PlugboardError as err:
        sys.exit(f"error: {err}")
