// The renderer knows no hypervisor by name: forms, marks, labels, rules and facets
// come from the providers' descriptors (AppInfo.providers). A type id written into
// renderer code (a string, an identifier, a translation key) fails this test.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const srcDir = path.join(root, 'renderer', 'src');
const TYPE_IDS = /xenserver|proxmox|vsphere|docker/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full) : /\.(tsx?|json)$/.test(e.name) ? [full] : [];
  });
}

/** Strings, template parts and identifiers of a TypeScript file (comments are prose and may name platforms). */
function codeTokens(file: string, text: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard, text);
  const out: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.Identifier || kind === ts.SyntaxKind.StringLiteral || kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral || kind === ts.SyntaxKind.TemplateHead || kind === ts.SyntaxKind.JsxText) {
      out.push(scanner.getTokenValue() || scanner.getTokenText());
    }
  }
  return out;
}

/** Keys and values of a translation file. */
function jsonTokens(text: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') for (const [k, child] of Object.entries(v)) out.push(k), walk(child);
  };
  walk(JSON.parse(text));
  return out;
}

export function providerLiterals(file: string, text: string): string[] {
  const tokens = file.endsWith('.json') ? jsonTokens(text) : codeTokens(file, text);
  return tokens.filter((token) => TYPE_IDS.test(token));
}

describe('the renderer names no hypervisor type', () => {
  it('has no type id in its code or translations', () => {
    const found = files(srcDir).flatMap((file) => providerLiterals(file, readFileSync(file, 'utf8')).map((token) => `${path.relative(root, file)}: ${token}`));
    expect(found).toEqual([]);
  });

  it('the scan sees strings, identifiers and keys, not comments or the capitalized product names', () => {
    const code = `// Docker says Stop; proxmox in a comment is fine\nconst dockerMode = server.type === 'proxmox' ? \`vsphere-\${x}\` : 'Docker Engine';`;
    expect(providerLiterals('Sample.tsx', code)).toEqual(['dockerMode', 'proxmox', 'vsphere-']);
    expect(providerLiterals('x.json', JSON.stringify({ serverType: { xenserver: 'XenServer' }, text: 'Docker' }))).toEqual(['xenserver']);
  });
});
