import { PlugboardError } from '@plugboard/contracts';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_AFTER_SECONDS,
  restError,
  restErrorFromPlugboard,
  sendRestError,
} from './errors';

const answer = async (err: ReturnType<typeof restError>) => {
  const app = Fastify();
  app.get('/', (_req, reply) => sendRestError(reply, err));
  const res = await app.inject('/');
  await app.close();
  return { status: res.statusCode, retryAfter: res.headers['retry-after'], body: res.json() };
};

describe('REST errors', () => {
  it('carry the status of the code and Retry-After on 429 and 503', async () => {
    expect(await answer(restError('PROVIDER_UNAVAILABLE'))).toMatchObject({
      status: 503,
      retryAfter: String(DEFAULT_RETRY_AFTER_SECONDS),
      body: { error: { code: 'PROVIDER_UNAVAILABLE' } },
    });
    const flood = restErrorFromPlugboard(
      new PlugboardError('FLOOD_WAIT', undefined, { retryAfterSeconds: 42 }),
    );
    expect(await answer(flood)).toMatchObject({ status: 429, retryAfter: '42' });
    const plain = await answer(restError('NOT_FOUND'));
    expect(plain).toMatchObject({ status: 404, retryAfter: undefined });
    expect(plain.body).toEqual({
      error: { code: 'NOT_FOUND', message: 'Nothing was found with that id.' },
    });
  });

  it('name the field a service refused', () => {
    const e = new PlugboardError('INPUT_INVALID', 'shop must be a myshopify.com domain', {
      input: 'shop',
    });
    expect(restErrorFromPlugboard(e).issues).toEqual([
      { path: 'inputs.shop', message: 'shop must be a myshopify.com domain' },
    ]);
  });
});
