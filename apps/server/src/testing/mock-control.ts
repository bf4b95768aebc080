import { expect } from 'vitest';

/**
 * POSTs JSON to the mock providers' control API (`/__control/<path>`: faults, apps, clocks; see
 * mocks/providers/src/control) and checks it was taken.
 */
export async function mockControl(mockUrl: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${mockUrl}/__control/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, `control ${path}`).toBeLessThan(300);
}
