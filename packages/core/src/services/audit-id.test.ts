import { describe, expect, it } from 'vitest';
import { auditId } from './audit';

describe('audit entry ids', () => {
  it('are unique, in the id format, and sort in the order they were made — within one millisecond too', () => {
    const at = new Date('2026-12-03T12:00:00.000Z');
    // More than the 4 KiB entropy buffer holds (512 ids), so refills are crossed.
    const ids = Array.from({ length: 2000 }, () => auditId(at));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^aud_[0-9a-z]{26}$/);
    // The per-process counter wraps at 36^4; 2000 ids from a fresh counter do not reach it.
    expect([...ids].sort()).toEqual(ids);
    const later = auditId(new Date(at.getTime() + 1));
    expect(later > ids.at(-1)!).toBe(true);
  });

  it('carry 64 random bits each: no two draws share their random part', () => {
    const at = new Date(0);
    const randoms = Array.from({ length: 2000 }, () => auditId(at).slice(-13));
    expect(new Set(randoms).size).toBe(randoms.length);
  });
});
