import { PlugboardError } from '@plugboard/contracts';
import { Transform, type Readable } from 'node:stream';

/**
 * A proxied request's body, read so that it can be sent again after a refresh (a 401's one
 * retry) when it is small, and streamed, never held, when it is not:
 * - up to `replayLimit` bytes are buffered; a body that ends within it is sent from the buffer
 *   and can be sent twice;
 * - a longer one is streamed to the provider (the buffered start, then the rest as it arrives)
 *   and cannot be replayed: a 401 to it refreshes the credentials and answers the 401, so the
 *   caller's own retry goes out with fresh ones;
 * - more than `maxBytes` in all is refused with PAYLOAD_TOO_LARGE (up front when the caller's
 *   Content-Length says so, otherwise by aborting the upload when the count passes it).
 */
export type ProxyBody =
  | { kind: 'none' }
  | { kind: 'buffered'; bytes: Buffer }
  | { kind: 'streamed'; chunks: AsyncIterable<Buffer> };

export function tooLarge(maxBytes: number): PlugboardError {
  return new PlugboardError(
    'PAYLOAD_TOO_LARGE',
    `The request body is larger than the proxy's limit of ${Math.floor(maxBytes / (1024 * 1024))} MiB.`,
  );
}

export async function readProxyBody(
  source: AsyncIterable<Buffer> | null,
  opts: { replayLimit: number; maxBytes: number; declaredLength: number | null },
): Promise<ProxyBody> {
  if (source === null || opts.declaredLength === 0) return { kind: 'none' };
  if (opts.declaredLength !== null && opts.declaredLength > opts.maxBytes) {
    throw tooLarge(opts.maxBytes);
  }
  const iterator = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done) {
      return size === 0 ? { kind: 'none' } : { kind: 'buffered', bytes: Buffer.concat(head, size) };
    }
    head.push(next.value);
    size += next.value.length;
    if (size > opts.replayLimit) break;
  }
  const maxBytes = opts.maxBytes;
  async function* rest(): AsyncGenerator<Buffer> {
    let sent = 0;
    for (const chunk of head) {
      sent += chunk.length;
      yield chunk;
    }
    head.length = 0;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      sent += next.value.length;
      if (sent > maxBytes) throw tooLarge(maxBytes);
      yield next.value;
    }
  }
  if (size > maxBytes) throw tooLarge(maxBytes);
  return { kind: 'streamed', chunks: rest() };
}

/**
 * Passes a provider's response body through, ending it with an error once more than
 * `maxBytes` went by (the status is sent by then, so the caller sees a cut-off body).
 */
export function limitResponse(body: Readable, maxBytes: number): Readable {
  let seen = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > maxBytes) {
        done(new Error(`provider response larger than ${maxBytes} bytes`));
        return;
      }
      done(null, chunk);
    },
  });
  body.on('error', (err) => limiter.destroy(err));
  limiter.on('close', () => {
    if (!body.destroyed) body.destroy();
  });
  return body.pipe(limiter);
}
