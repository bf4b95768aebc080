import { PlugboardError, ProxyCallInputSchema, ProxyCallOutputSchema } from '@plugboard/contracts';
import { proxyRequest } from '@plugboard/core';
import { Readable } from 'node:stream';
import { getGlobalDispatcher } from 'undici';
import { apiKeyProcedure } from '../../../trpc';

/** The most of a provider's answer this JSON call returns (stream bigger ones via /v1/proxy). */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * A provider API call with a connection's credentials, JSON in and out: the same service as
 * `ANY /v1/proxy/{connectionId}/{path…}` (packages/core/src/services/proxy.ts), so the same
 * hosts, auth, refresh-on-401 and errors.
 */
export const proxyCall = apiKeyProcedure
  .input(ProxyCallInputSchema)
  .output(ProxyCallOutputSchema)
  .mutation(async ({ ctx, input }) => {
    const json = input.json === undefined ? null : Buffer.from(JSON.stringify(input.json));
    const query = new URLSearchParams(input.query ?? {}).toString();
    const res = await proxyRequest(ctx.em, ctx.deps, getGlobalDispatcher(), {
      connectionId: input.connectionId,
      method: input.method,
      rawPath: input.path.replace(/^\//, ''),
      rawQuery: query,
      headers: {
        ...lowerCased(input.headers ?? {}),
        ...(json
          ? { 'content-type': 'application/json', 'content-length': String(json.length) }
          : {}),
      },
      body: json ? Readable.from([json]) : null,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_ANSWER_BYTES) {
        res.body.destroy();
        throw new PlugboardError(
          'PAYLOAD_TOO_LARGE',
          'The provider answered with more than 1 MiB; call it through /v1/proxy, which streams.',
        );
      }
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    let body: unknown = text === '' ? null : text;
    if (text !== '' && /\bjson\b/i.test(headers['content-type'] ?? '')) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return { status: res.status, headers, body, refreshed: res.refreshed };
  });

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
