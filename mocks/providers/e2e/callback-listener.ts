import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny local "app" the providers redirect back to: it records every callback and answers with
 * a plain page, so the browser's navigation ends somewhere real.
 */
export class CallbackListener {
  readonly #server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', this.url);
    this.#received.push(url);
    for (const waiter of [...this.#waiters]) {
      if (waiter.path === url.pathname) {
        this.#waiters.delete(waiter);
        waiter.resolve(url);
      }
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>Callback</title><h1>Callback received</h1>');
  });
  readonly #received: URL[] = [];
  readonly #waiters = new Set<{ path: string; resolve: (url: URL) => void }>();
  url = '';

  static async start(): Promise<CallbackListener> {
    const listener = new CallbackListener();
    listener.#server.listen(0, '127.0.0.1');
    await once(listener.#server, 'listening');
    const { port } = listener.#server.address() as AddressInfo;
    listener.url = `http://127.0.0.1:${port}`;
    return listener;
  }

  /** Callbacks received on `path` so far. */
  received(path: string): URL[] {
    return this.#received.filter((url) => url.pathname === path);
  }

  /** The next callback on `path` (or the first one, if it already came). */
  next(path: string, timeoutMs = 15_000): Promise<URL> {
    const already = this.received(path)[0];
    if (already !== undefined) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const waiter = { path, resolve };
      this.#waiters.add(waiter);
      setTimeout(() => {
        if (this.#waiters.delete(waiter)) reject(new Error(`No callback on ${path} in time.`));
      }, timeoutMs).unref();
    });
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
