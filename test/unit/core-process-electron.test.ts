// Static checks of how the desktop app runs its core (issue 17), in the manner of
// electron-security.test.ts (no Electron binary here): the main process builds no core
// of its own but a RemoteCore over Electron's utility process; that process is started
// only from the bundled entry beside main.js, with no Node flags and no code of the
// caller's (no execArgv, no env or cwd of its own); and the bundle builds that entry.
// Each check also runs against a bad sample to show it can fail.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

function nodesOf(text: string, pick: (n: ts.Node) => boolean): ts.Node[] {
  const source = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: ts.Node[] = [];
  const visit = (n: ts.Node) => {
    if (pick(n)) found.push(n);
    n.forEachChild(visit);
  };
  visit(source);
  return found;
}

const isCallOf = (name: string) => (n: ts.Node) => ts.isCallExpression(n) && n.expression.getText() === name;

export function auditCoreLaunch(text: string): string[] {
  const problems: string[] = [];
  const forks = nodesOf(text, isCallOf('utilityProcess.fork')) as ts.CallExpression[];
  if (forks.length !== 1) problems.push(`expected one utilityProcess.fork, found ${forks.length}`);
  for (const call of forks) {
    const [entry, args, options] = call.arguments;
    if (entry?.getText() !== 'entry') problems.push('the utility process is not started from the bundled entry');
    if (args && !(ts.isArrayLiteralExpression(args) && args.elements.length === 0)) problems.push('the utility process is given arguments');
    const keys = options && ts.isObjectLiteralExpression(options) ? options.properties.map((p) => p.name?.getText() ?? '…') : [];
    for (const key of keys) if (['execArgv', 'env', 'cwd', 'allowLoadingUnsignedLibraries'].includes(key)) problems.push(`the utility process is given ${key}`);
  }
  const entries = nodesOf(text, (n) => ts.isVariableDeclaration(n) && n.name.getText() === 'entry') as ts.VariableDeclaration[];
  if (entries.length !== 1 || entries[0]!.initializer?.getText() !== 'path.join(bundleDir, CORE_PROCESS_ENTRY)') problems.push('the entry is not CORE_PROCESS_ENTRY beside the bundle');
  return problems;
}

export function auditMainCore(text: string): string[] {
  const problems: string[] = [];
  if (nodesOf(text, isCallOf('createAppCore')).length > 0) problems.push('the main process builds a core of its own');
  const starts = nodesOf(text, isCallOf('RemoteCore.start')) as ts.CallExpression[];
  const launch = starts[0]?.arguments[0];
  const launcher = launch && ts.isObjectLiteralExpression(launch) ? launch.properties.find((p) => p.name?.getText() === 'launch') : undefined;
  if (!launcher || !/^launch: utilityCoreProcess\(here\)$/.test(launcher.getText())) problems.push('the core is not started as a utility process beside main.js');
  return problems;
}

describe('the desktop app runs its core in a utility process', () => {
  it('electron/main.ts starts a RemoteCore over the utility process and no core of its own', () => {
    expect(auditMainCore(read('electron/main.ts'))).toEqual([]);
    expect(auditMainCore(`const core = await createAppCore('electron', {});`)).toEqual(['the main process builds a core of its own', 'the core is not started as a utility process beside main.js']);
    expect(auditMainCore(`const core = await RemoteCore.start({ launch: forkCoreProcess() });`)).toEqual(['the core is not started as a utility process beside main.js']);
  });

  it('electron/main-core-process.ts forks only the bundled entry, with no flags, arguments or environment of its own', () => {
    expect(auditCoreLaunch(read('electron/main-core-process.ts'))).toEqual([]);
    const bad = `const entry = process.argv[2]; utilityProcess.fork(entry, ['--x'], { execArgv: ['--inspect'], env: {} });`;
    expect(auditCoreLaunch(bad)).toEqual([
      'the utility process is given arguments',
      'the utility process is given execArgv',
      'the utility process is given env',
      'the entry is not CORE_PROCESS_ENTRY beside the bundle',
    ]);
  });

  it('the bundle builds that entry beside main.js', () => {
    const constant = /CORE_PROCESS_ENTRY = '([^']+)'/.exec(read('electron/main-core-process.ts'))?.[1];
    expect(constant).toBe('core-process.js');
    const build = read('electron/build.mjs');
    expect(build).toContain(`entryPoints: ['electron/core/host/core-process.ts']`);
    expect(build).toContain(`outfile: path.join(outdir, '${constant}')`);
  });
});
