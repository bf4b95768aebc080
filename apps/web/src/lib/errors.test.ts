import { describe, expect, it } from 'vitest';
import { inputNameOf } from './errors';

describe('inputNameOf', () => {
  it('names the provider input an error is about', () => {
    const error = {
      data: { code: 'INPUT_INVALID', issues: [{ path: 'inputs.shop', message: 'x' }] },
    };
    expect(inputNameOf(error)).toBe('shop');
  });

  it.each([
    ['no data', new Error('boom')],
    ['no issues', { data: { code: 'INTERNAL' } }],
    ['an issue about something else', { data: { issues: [{ path: 'providerId', message: 'x' }] } }],
    ['malformed issues', { data: { issues: 'inputs.shop' } }],
    ['null', null],
  ])('is null for %s', (_what, error) => {
    expect(inputNameOf(error)).toBeNull();
  });
});
