import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The provider seam (issue 8): core orchestrates auth modes only through `deps.modes` and the
 * mode-agnostic connect-flow runner. So core's source — tests aside — names no particular mode's
 * provider (no "telegram" anywhere, comments included), decides nothing by a mode's name (no
 * `'oauth2'` literal, no `.oauth2` member: what differs is a capability of the mode module,
 * found by the entry's `authMode` or the credentials' `type`) and imports nothing a mode or engine
 * keeps to itself (packages/providers/src/engines/, packages/providers/src/modes/<mode>/): those
 * are reached through the mode module, never called directly.
 */
const here = dirname(fileURLToPath(import.meta.url));
const providersSrc = join(here, '../../providers/src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.name.endsWith('.ts') && !/\.(test|bench)\.ts$/.test(e.name) ? [path] : [];
  });
}

/** Names a module exports as values (functions, constants, classes). */
function valueExports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/^export (?:async )?(?:function\*?|const|let|class) (\w+)/gm)].map(
    (m) => m[1]!,
  );
}

/** What a core file imports from @plugboard/providers, by name, and any deep import path. */
function providerImports(src: string): { names: string[]; deep: string[] } {
  const names: string[] = [];
  const deep: string[] = [];
  for (const m of src.matchAll(
    /import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(@plugboard\/providers[^']*)'/g,
  )) {
    if (m[2] !== '@plugboard/providers') deep.push(m[2]!);
    for (const part of m[1]!.split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)[0]!;
      if (name) names.push(name);
    }
  }
  return { names, deep };
}

const coreFiles = tsFiles(here);
const internals = new Set(
  [
    ...tsFiles(join(providersSrc, 'engines')),
    ...['oauth2', 'telegram', 'api-key'].flatMap((m) => tsFiles(join(providersSrc, 'modes', m))),
  ].flatMap(valueExports),
);

describe('core names no auth mode', () => {
  it('finds the files and the internals it checks (the check itself works)', () => {
    expect(coreFiles.length).toBeGreaterThan(30);
    for (const name of ['exchangeCode', 'refreshTokens', 'telegramMode', 'HttpTelegramGateway'])
      expect(internals).toContain(name);
    expect(providerImports("import { a, type B as C } from '@plugboard/providers/x';")).toEqual({
      names: ['a', 'B'],
      deep: ['@plugboard/providers/x'],
    });
  });

  it('has no "telegram" in its source, comments included', () => {
    const naming = coreFiles.filter((f) => /telegram/i.test(readFileSync(f, 'utf8')));
    expect(naming.map((f) => relative(here, f))).toEqual([]);
  });

  it("decides nothing by the oauth2 mode's name (no literal, no member access)", () => {
    const naming = (src: string) => src.match(/(['"`])oauth2\1|\.oauth2\b/g) ?? [];
    expect(
      naming('if (x.type !== \'oauth2\') deps.modes.oauth2.start(); m["oauth2"]'),
    ).toHaveLength(3);
    expect(naming('deps.modes[entry.authMode].start(); // the oauth2 mode')).toEqual([]);
    const found = coreFiles.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) => naming(line).map((m) => `${relative(here, f)}:${i + 1}: ${m}`)),
    );
    expect(found).toEqual([]);
  });

  it("imports no mode's or engine's internals", () => {
    const found = coreFiles.flatMap((f) => {
      const { names, deep } = providerImports(readFileSync(f, 'utf8'));
      return [...deep, ...names.filter((n) => internals.has(n))].map(
        (n) => `${relative(here, f)}: ${n}`,
      );
    });
    expect(found).toEqual([]);
  });
});
