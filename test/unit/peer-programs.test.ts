// The programs the tests start (test/peers/programs.ts): the install script installs each
// one's package, every program a test spawns is on the list, the preflight names the
// package of a missing one, and a missing peer fails the run under POLYVISOR_REQUIRE_PEERS=1.
// (A fresh Debian 12 machine once failed the Proxmox console tests: vncpasswd, spawned
// through `sh -c`, came from a package the install script did not install.)

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  INSTALL_SCRIPT,
  PROGRAMS,
  TOOLCHAIN,
  debianPackages,
  findListed,
  preflight,
  problemWith,
  unavailableReason,
  withInstallScriptBlock,
} from '../peers/programs';
import { requirePeer } from '../peers/require-peer';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Every .ts file under these folders of the repository (relative paths). */
function sources(...dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== 'node_modules' && e.name !== 'fixtures') walk(rel);
      else if (e.isFile() && e.name.endsWith('.ts')) out.push(rel);
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

const SHELL_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'in', '!', '{', '}']);
const SHELL_BUILTINS = new Set(['kill', 'exit', 'command', 'echo', 'printf', 'cd', 'trap', 'wait', 'test', '[', 'true', 'false', 'export', 'read', 'set', 'eval', 'exec', ':']);

/** The external programs a `sh -c` command line runs (first word of each command; names built at run time are left out). */
function programsOfShellCommand(command: string): string[] {
  const found: string[] = [];
  for (const segment of command.split(/;|&&|\|\||\||\$\(|`|\n|\)/)) {
    const words = segment.trim().split(/\s+/).filter(Boolean);
    while (words.length && ['do', 'then', 'else', '!', 'if', 'while', 'until', '{'].includes(words[0])) words.shift();
    const first = words[0];
    if (!first || first === 'for' || first === 'case' || SHELL_KEYWORDS.has(first) || SHELL_BUILTINS.has(first)) continue;
    if (first.includes('$') || /^\d*[<>]/.test(first) || first.includes('=')) continue;
    found.push(first);
  }
  return found;
}

const SPAWN = /(?<![.\w])(spawn|spawnSync|execFile|execFileSync|execFileAsync|exec|execSync)\(\s*(['"`])((?:(?!\2)[^$\\])*)\2(\s*,\s*\[\s*'-c'\s*,\s*(['"`])((?:(?!\5)[\s\S])*)\5)?/g;
const EXECUTABLE_PATH = /executablePath:\s*(['"`])(\/[^'"`]+)\1/g;
const BIN_PATH_CHECK = /existsSync\(\s*(['"`])(\/(?:usr\/)?(?:local\/)?s?bin\/[^'"`]+)\1\s*\)/g;
const REASON_LIST = /unavailableReason\(([^\n]*)/g;

/** Program names (or absolute paths) a source file starts or checks for. */
function programsOfSource(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(SPAWN)) {
    const [, fn, , program, withDashC, , script] = m;
    if (fn === 'exec' || fn === 'execSync') found.push(...programsOfShellCommand(program));
    else if (withDashC && (program === 'sh' || program === 'bash')) found.push(program, ...programsOfShellCommand(script));
    else found.push(program);
  }
  for (const m of text.matchAll(EXECUTABLE_PATH)) found.push(m[2]);
  for (const m of text.matchAll(BIN_PATH_CHECK)) found.push(m[2]);
  for (const m of text.matchAll(REASON_LIST)) for (const s of m[1].matchAll(/(['"`])([^'"`]+)\1/g)) found.push(s[2]);
  return found;
}

/** Programs a bash script checks for or hands over to (`command -v X`, `exec X`). */
function programsOfBashScript(text: string): string[] {
  return [...text.matchAll(/(?:command -v|exec)\s+([A-Za-z0-9_./-]+)/g)].map((m) => m[1]);
}

/** The files the scan reads: tests, peers, simulators, demo, bench (not this file: its samples are made up). */
function scannedSources(): string[] {
  return sources('test', 'bench').filter((f) => f !== path.join('test', 'unit', 'peer-programs.test.ts'));
}

function isListedOrToolchain(program: string): boolean {
  return TOOLCHAIN.includes(program) || TOOLCHAIN.includes(path.basename(program)) || findListed(program) !== undefined;
}

describe('the programs the tests start (test/peers/programs.ts)', () => {
  it('the install script installs exactly the packages of the list', () => {
    const r = spawnSync('bash', [INSTALL_SCRIPT, '--list'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(debianPackages());
    const script = readFileSync(INSTALL_SCRIPT, 'utf8');
    expect(withInstallScriptBlock(script), 'install-debian-packages.sh is behind programs.ts: run `npx tsx test/peers/preflight.ts --update-install-script`').toBe(script);
  });

  it('names each program once, with a package and a use', () => {
    const names = PROGRAMS.map((p) => p.program);
    expect(new Set(names).size).toBe(names.length);
    for (const p of PROGRAMS) {
      expect(p.package, p.program).toMatch(/^[a-z0-9][a-z0-9+.-]+$/);
      expect(p.usedBy.length, p.program).toBeGreaterThan(5);
      if (p.path) expect(path.isAbsolute(p.path), p.program).toBe(true);
    }
    expect(findListed('vncpasswd')?.package).toBe('tigervnc-tools');
  });

  it('finds the programs a source spawns, also inside `sh -c`', () => {
    const vncBefore = "const made = spawnSync('sh', ['-c', `vncpasswd -f > '${file}'`], { input: `${opts.password}\\n` });";
    expect(programsOfSource(vncBefore)).toEqual(['sh', 'vncpasswd']);
    const exitHandler = "spawnSync('sh', ['-c', `kill -TERM ${child.pid}; for i in $(seq 1 100); do kill -0 ${child.pid} 2>/dev/null || exit 0; sleep 0.1; done; kill -KILL ${child.pid}`]);";
    expect(programsOfSource(exitHandler)).toEqual(['sh', 'seq', 'sleep']);
    expect(programsOfSource("spawn('Xvnc', [`:${display}`]); execFile(go, ['build']); /x/.exec(line); c.exec({ Cmd: ['ps'] });")).toEqual(['Xvnc']);
    expect(programsOfSource("if (!existsSync('/usr/bin/python3')) x; executablePath: '/usr/bin/chromium',")).toEqual(['/usr/bin/chromium', '/usr/bin/python3']);
    expect(programsOfSource("unavailableReason(['dockerd', '/bin/busybox'])")).toEqual(['dockerd', '/bin/busybox']);
  });

  it('lists every program a test, peer, simulator, demo or bench spawns', () => {
    const unlisted: string[] = [];
    for (const file of scannedSources()) {
      for (const program of programsOfSource(readFileSync(path.join(root, file), 'utf8'))) {
        if (!isListedOrToolchain(program)) unlisted.push(`${file}: ${program}`);
      }
    }
    for (const file of ['test/run.sh', '.ci/run']) {
      for (const program of programsOfBashScript(readFileSync(path.join(root, file), 'utf8'))) {
        if (!isListedOrToolchain(program)) unlisted.push(`${file}: ${program}`);
      }
    }
    expect(unlisted, 'add these to test/peers/programs.ts with their Debian package, then run `npx tsx test/peers/preflight.ts --update-install-script`').toEqual([]);
  });

  it('lists no program that nothing starts (unless marked optional)', () => {
    const used = new Set<string>();
    for (const file of scannedSources()) for (const p of programsOfSource(readFileSync(path.join(root, file), 'utf8'))) used.add(p);
    for (const p of programsOfBashScript(readFileSync(path.join(root, 'test/run.sh'), 'utf8'))) used.add(p);
    const stale = PROGRAMS.filter((p) => !p.optional && !p.data && !used.has(p.program) && !(p.path && used.has(p.path))).map((p) => p.program);
    expect(stale).toEqual([]);
  });
});

describe('preflight', () => {
  const fake = { program: 'polyvisor-no-such-program', package: 'polyvisor-no-such-package', usedBy: 'this test' };

  it('names the missing program and its package', () => {
    expect(problemWith(fake)?.message).toBe('missing: polyvisor-no-such-program — apt-get install polyvisor-no-such-package');
    expect(preflight([fake, { ...fake, program: 'sh', package: 'dash' }]).map((p) => p.entry.program)).toEqual(['polyvisor-no-such-program']);
    expect(() => unavailableReason(['polyvisor-no-such-program'])).toThrow(/not in test\/peers\/programs\.ts/);
  });

  it('says when a program needs root', () => {
    const asRoot = { ...fake, program: 'sh', package: 'dash', needsRoot: true };
    expect(problemWith(asRoot, 0)).toBeNull();
    expect(problemWith(asRoot, 1000)).toMatchObject({ kind: 'needs-root', message: expect.stringMatching(/^sh needs root/) });
  });

  it('warns without POLYVISOR_REQUIRE_PEERS and fails with it, naming each missing package', () => {
    const run = (require: boolean) =>
      spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'test/peers/preflight.ts')], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, PATH: '/polyvisor-empty-path', CI: '', POLYVISOR_REQUIRE_PEERS: require ? '1' : '' },
      });
    const warned = run(false);
    expect(warned.status, warned.stderr).toBe(0);
    expect(warned.stderr).toContain('missing: vncpasswd — apt-get install tigervnc-tools');
    expect(warned.stderr).toMatch(/warning only/);
    const failed = run(true);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('missing: vncpasswd — apt-get install tigervnc-tools');
    expect(failed.stderr).toContain('missing: dockerd — apt-get install docker.io');
  });
});

describe('requirePeer', () => {
  it('runs the test when the peer is here', () => {
    expect(requirePeer(null, { POLYVISOR_REQUIRE_PEERS: '1' })).toBe(false);
  });

  it('skips with the reason when peers are not required', () => {
    expect(requirePeer('dockerd needs root', {})).toBe(true);
  });

  it('fails with the reason under POLYVISOR_REQUIRE_PEERS=1 (and under CI=true)', () => {
    expect(() => requirePeer('missing: vncpasswd — apt-get install tigervnc-tools', { POLYVISOR_REQUIRE_PEERS: '1' })).toThrow(/missing: vncpasswd — apt-get install tigervnc-tools/);
    expect(() => requirePeer('missing: dockerd', { CI: 'true' })).toThrow(/missing: dockerd/);
  });
});
