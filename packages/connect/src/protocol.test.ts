import { describe, expect, it } from 'vitest';
import { envelope, readMessage } from './protocol';

describe('the embed protocol (v1)', () => {
  it('reads the messages the Connect UI sends, and only those fields', () => {
    const success = envelope({
      type: 'success',
      connectionId: 'conn_1',
      providerId: 'notion',
      accountLabel: 'Acme',
    });
    expect(readMessage({ ...success, accessToken: 'secret' })).toEqual({
      type: 'success',
      connectionId: 'conn_1',
      providerId: 'notion',
      accountLabel: 'Acme',
    });
    expect(readMessage(envelope({ type: 'close' }))).toEqual({ type: 'close' });
  });

  it('ignores anything else: other sources, versions, types and malformed fields', () => {
    const ok = envelope({ type: 'error', code: 'PROVIDER_DENIED', message: 'no' });
    for (const data of [
      null,
      'plugboard-connect',
      { ...ok, source: 'other' },
      { ...ok, v: 2 },
      { ...ok, type: 'token' },
      { ...ok, code: 42 },
      { ...ok, message: 'x'.repeat(1001) },
      // A success without its provider and label.
      { source: 'plugboard-connect', v: 1, type: 'success', connectionId: 'c' },
    ]) {
      expect(readMessage(data)).toBeNull();
    }
    expect(readMessage(ok)).toEqual({ type: 'error', code: 'PROVIDER_DENIED', message: 'no' });
  });
});
