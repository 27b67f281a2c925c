// Enforced layers (issue 10, VS Code's code-layering rule as a test): the imports of
// every source file are read and checked against the rules of its layer.
//   shared/            imports nothing of ours outside shared/
//   renderer/          imports only shared/ and renderer/
//   electron/core/providers/   nothing from hosts (main, preload, web, cli), the composition root, the core's services, or the renderer
//   electron/core/     nothing from the hosts or the renderer
//   'electron'         only from electron/main* and electron/preload*

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, dir))) {
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...sources(rel));
    else if (/\.(ts|tsx|mts|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

interface Import {
  from: string;
  /** repo-relative path for our own files, the package name otherwise */
  target: string;
  own: boolean;
}

function importsOf(file: string): Import[] {
  const info = ts.preProcessFile(readFileSync(path.join(root, file), 'utf8'), true, true);
  return info.importedFiles.map(({ fileName }) => {
    const own = fileName.startsWith('.');
    return { from: file, own, target: own ? path.relative(root, path.resolve(path.dirname(path.join(root, file)), fileName)) : fileName };
  });
}

const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);
const isHost = (p: string) => /^electron\/(main|preload)[^/]*$/.test(p) || under(p, 'electron/web') || under(p, 'electron/cli');

interface Rule {
  files: (file: string) => boolean;
  forbidden: (imp: Import) => boolean;
  why: string;
}

const RULES: Rule[] = [
  { files: (f) => under(f, 'shared'), forbidden: (i) => i.own && !under(i.target, 'shared'), why: 'shared/ imports nothing outside shared/' },
  { files: (f) => under(f, 'renderer'), forbidden: (i) => i.own && !under(i.target, 'shared') && !under(i.target, 'renderer'), why: 'the renderer imports only shared/ and its own files' },
  {
    files: (f) => under(f, 'electron/core/providers'),
    forbidden: (i) =>
      i.own && (isHost(i.target) || under(i.target, 'renderer') || under(i.target, 'electron/core/services') || /^electron\/core\/(app-core|core-events)(\.ts)?$/.test(i.target)),
    why: 'providers import nothing from hosts, the composition root, the core services or the renderer',
  },
  { files: (f) => under(f, 'electron/core'), forbidden: (i) => i.own && (isHost(i.target) || under(i.target, 'renderer')), why: 'the core imports no host and no renderer code' },
  { files: (f) => !/^electron\/(main|preload)[^/]*$/.test(f), forbidden: (i) => !i.own && (i.target === 'electron' || i.target.startsWith('electron/')), why: "only electron/main* and electron/preload* import 'electron'" },
];

function violations(files: string[], rules: Rule[] = RULES): string[] {
  const out: string[] = [];
  for (const file of files) {
    for (const imp of importsOf(file)) {
      for (const rule of rules) if (rule.files(file) && rule.forbidden(imp)) out.push(`${file} → ${imp.target}: ${rule.why}`);
    }
  }
  return out;
}

describe('layers', () => {
  const files = [...sources('shared'), ...sources('renderer/src'), ...sources('electron')];

  it('reads the imports of every source file', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(importsOf('electron/core/app-core.ts').some((i) => i.target === 'electron/core/services/connections')).toBe(true);
  });

  it('no file imports across a layer it may not', () => {
    expect(violations(files)).toEqual([]);
  });

  it('the rules catch each kind of violation', () => {
    const bad = (from: string, target: string, own = true) => RULES.some((r) => r.files(from) && r.forbidden({ from, target, own }));
    expect(bad('shared/model.ts', 'electron/core/profile')).toBe(true);
    expect(bad('renderer/src/App.tsx', 'electron/core/app-core')).toBe(true);
    expect(bad('electron/core/providers/docker/index.ts', 'electron/web/host')).toBe(true);
    expect(bad('electron/core/providers/docker/index.ts', 'electron/core/app-core')).toBe(true);
    expect(bad('electron/core/providers/proxmox/console.ts', 'electron/core/services/connections')).toBe(true);
    expect(bad('electron/core/services/connections.ts', 'electron/cli/run')).toBe(true);
    expect(bad('electron/core/app-core.ts', 'electron', false)).toBe(true);
    expect(bad('electron/main.ts', 'electron', false)).toBe(false);
    expect(bad('electron/core/providers/proxmox/console.ts', 'electron/core/providers/common/rfb-auth')).toBe(false);
  });
});
