import { ProviderBrandSchema, ProviderSummarySchema } from '@plugboard/contracts';
import { describe, expect, it } from 'vitest';
import { catalog } from './catalog';
import { toSummary } from './types';

describe('provider marks', () => {
  it('every declared mark is path data and a colour that the contract accepts', () => {
    for (const entry of catalog) {
      const summary = ProviderSummarySchema.parse(toSummary(entry));
      if (summary.brand) expect(ProviderBrandSchema.parse(summary.brand)).toEqual(entry.brand);
    }
  });

  it('carries simple-icons marks, and none for brands simple-icons no longer has', () => {
    const withMark = catalog.filter((p) => p.brand).map((p) => p.id);
    expect(withMark).toEqual(
      expect.arrayContaining([
        'notion',
        'stripe',
        'shopify',
        'paypal',
        'calendly',
        'zoom',
        'telegram',
        'github',
        'google-drive',
        'hubspot',
      ]),
    );
    expect(toSummary(catalog.find((p) => p.id === 'slack')!).brand).toBeNull();
    expect(toSummary(catalog.find((p) => p.id === 'salesforce')!).brand).toBeNull();
    expect(catalog.find((p) => p.id === 'github')!.brand).toMatchObject({
      hex: '#181717',
      svgPath: expect.stringMatching(/^M12 \.297/),
    });
  });

  it('refuses anything but path data', () => {
    const ok = { svgPath: 'M0 0h24v24H0z', hex: '#000000' };
    expect(ProviderBrandSchema.safeParse(ok).success).toBe(true);
    for (const svgPath of ['M0 0"/><script>alert(1)</script>', 'url(#x)', '']) {
      expect(ProviderBrandSchema.safeParse({ ...ok, svgPath }).success).toBe(false);
    }
    expect(ProviderBrandSchema.safeParse({ ...ok, hex: 'red;background:url(x)' }).success).toBe(
      false,
    );
  });
});
