import { describe, expect, it } from 'vitest';
import { loadEnv } from './env';
import { contentSecurityPolicy } from './security';
import { resolveTheme } from './theme';

describe('theme configuration', () => {
  it('defaults to Plugboard with its own accents and no logo', () => {
    const { theme, warnings } = resolveTheme(loadEnv({}).brand);
    expect(theme).toEqual({
      name: 'Plugboard',
      logoUrl: null,
      light: { accent: '#4338ca', accentText: '#ffffff' },
      dark: { accent: '#818cf8', accentText: '#0f1115' },
    });
    expect(warnings).toEqual([]);
  });

  it('takes the host name, accent and an https logo', () => {
    const env = loadEnv({
      PLUGBOARD_BRAND_NAME: '  Acme Cloud ',
      PLUGBOARD_BRAND_ACCENT: '#0F766E',
      PLUGBOARD_BRAND_LOGO_URL: 'https://cdn.acme.example/logo.svg',
    });
    const { theme } = resolveTheme(env.brand);
    expect(theme.name).toBe('Acme Cloud');
    expect(theme.logoUrl).toBe('https://cdn.acme.example/logo.svg');
    expect(theme.light).toEqual({ accent: '#0f766e', accentText: '#ffffff' });
  });

  it('falls back per colour scheme, and says so, when the accent cannot carry text', () => {
    // Dark teal reads on the light page but is 2.6:1 on the dark one.
    const { theme, warnings } = resolveTheme(loadEnv({ PLUGBOARD_BRAND_ACCENT: '#0f766e' }).brand);
    expect(theme.light.accent).toBe('#0f766e');
    expect(theme.dark).toEqual({ accent: '#818cf8', accentText: '#0f1115' });
    expect(warnings).toEqual([expect.stringContaining('in the dark colour scheme')]);
  });

  it('refuses a bad accent, a non-https logo and an over-long name at start, by variable name', () => {
    expect(() => loadEnv({ PLUGBOARD_BRAND_ACCENT: 'teal' })).toThrow(
      /PLUGBOARD_BRAND_ACCENT: must be a hex colour/,
    );
    expect(() => loadEnv({ PLUGBOARD_BRAND_LOGO_URL: 'logo.png' })).toThrow(
      /PLUGBOARD_BRAND_LOGO_URL: must be an absolute URL/,
    );
    expect(() => loadEnv({ PLUGBOARD_BRAND_LOGO_URL: 'http://cdn.acme.example/l.png' })).toThrow(
      /PLUGBOARD_BRAND_LOGO_URL must be an https URL/,
    );
    expect(() => loadEnv({ PLUGBOARD_BRAND_LOGO_URL: 'javascript:alert(1)' })).toThrow(
      /PLUGBOARD_BRAND_LOGO_URL/,
    );
    expect(() => loadEnv({ PLUGBOARD_BRAND_LOGO_URL: 'https://u:p@cdn.acme.example/l' })).toThrow(
      /must not hold credentials/,
    );
    expect(() => loadEnv({ PLUGBOARD_BRAND_NAME: 'x'.repeat(61) })).toThrow(
      /PLUGBOARD_BRAND_NAME: must be at most 60 characters/,
    );
  });

  it('allows an http logo only on this machine, and never in production', () => {
    expect(loadEnv({ PLUGBOARD_BRAND_LOGO_URL: 'http://127.0.0.1:8080/l.svg' }).brand.logoUrl).toBe(
      'http://127.0.0.1:8080/l.svg',
    );
    expect(loadEnv({ PLUGBOARD_BRAND_LOGO_URL: 'http://localhost/l.svg' }).brand.logoUrl).toBe(
      'http://localhost/l.svg',
    );
    expect(() =>
      loadEnv({
        NODE_ENV: 'production',
        PLUGBOARD_ENCRYPTION_KEYS: 'k1:x',
        PUBLIC_URL: 'https://pb.example',
        PLUGBOARD_BRAND_LOGO_URL: 'http://localhost/l.svg',
      }),
    ).toThrow(/PLUGBOARD_BRAND_LOGO_URL must be an https URL/);
  });

  it('lets images come from exactly the logo origin', () => {
    expect(contentSecurityPolicy()).toContain("img-src 'self' data:;");
    const csp = contentSecurityPolicy({ logoUrl: 'https://cdn.acme.example/brand/logo.svg?v=2' });
    expect(csp).toContain("img-src 'self' data: https://cdn.acme.example;");
    expect(csp).not.toContain('logo.svg');
    expect(csp).toContain("default-src 'self'");
  });
});
