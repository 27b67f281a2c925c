// Every program outside Node that the tests start or need (vitest, Playwright, the peers
// under test/peers, the simulators under test/sim, the demo), with the Debian 12 package
// that provides it. This list is the one source of truth:
//   - test/peers/install-debian-packages.sh installs every package named here (its list is
//     generated from this one: `npx tsx test/peers/preflight.ts --update-install-script`);
//   - test/peers/preflight.ts (run first by test/run.sh) checks each one is present;
//   - the peers' "unavailable reason" functions name the package from here;
//   - test/unit/peer-programs.test.ts fails when a test spawns a program missing from here,
//     or when the install script and this list disagree.
// Node's own toolchain (node, npm, npx, tsx) and the POSIX shell (sh, bash) are not listed.
// The Electron binary is not listed either: it comes from npm, cannot be downloaded here,
// and its smoke test has its own switch (POLYVISOR_REQUIRE_ELECTRON).

import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PeerProgram {
  /** the command as the tests run it (looked up on PATH unless `path` is set) */
  program: string;
  /** the Debian 12 package that provides it */
  package: string;
  /** who starts it, for what */
  usedBy: string;
  /** the tests use this absolute path (checked instead of a PATH lookup) */
  path?: string;
  /** not a program but a file or folder the tests read (checked for existence only) */
  data?: boolean;
  /** only works for root (a check of its own in the preflight) */
  needsRoot?: boolean;
  /** installed for manual work (DESIGN.md §3) but started by no test: never fatal when missing */
  optional?: boolean;
}

export const PROGRAMS: readonly PeerProgram[] = [
  // the browser
  { program: 'chromium', package: 'chromium', path: '/usr/bin/chromium', usedBy: 'Playwright e2e tests (test/e2e/playwright.config.ts) and bench/renderer.bench.ts' },
  { program: 'NotoSansCJK', package: 'fonts-noto-cjk', path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', data: true, usedBy: 'Chinese UI text in the e2e screenshots' },
  // the OS keychain (Secret Service)
  { program: 'dbus-run-session', package: 'dbus-daemon', usedBy: 'test/run.sh: the whole run inside a private session bus' },
  { program: 'dbus-daemon', package: 'dbus-daemon', usedBy: 'test/peers/keyring.ts: a private session bus per keychain test' },
  { program: 'dbus-send', package: 'dbus-bin', usedBy: 'test/peers/keyring.ts: waits for the Secret Service on the bus' },
  { program: 'gnome-keyring-daemon', package: 'gnome-keyring', usedBy: 'test/run.sh and test/peers/keyring.ts: the Secret Service' },
  { program: 'secret-tool', package: 'libsecret-tools', usedBy: 'test/peers/keyring.ts: reads secrets back as an independent client' },
  // a real Docker engine
  { program: 'dockerd', package: 'docker.io', needsRoot: true, usedBy: 'test/peers/dockerd.ts: a private Docker engine (Docker integration and e2e tests, demo)' },
  { program: 'containerd', package: 'containerd', usedBy: "test/peers/dockerd.ts: dockerd's container runtime" },
  { program: 'runc', package: 'runc', usedBy: "test/peers/dockerd.ts: dockerd's OCI runtime" },
  { program: 'busybox', package: 'busybox-static', path: '/bin/busybox', usedBy: 'test/peers/dockerd.ts: the local/busybox image (a static binary, copied into the image)' },
  { program: 'tar', package: 'tar', usedBy: 'test/peers/dockerd.ts: streams the busybox root filesystem to the engine' },
  { program: 'umount', package: 'mount', usedBy: "test/peers/dockerd.ts: unmounts an engine's leftovers" },
  { program: 'seq', package: 'coreutils', usedBy: 'test/peers/dockerd.ts: bounded wait for an engine at process exit' },
  { program: 'sleep', package: 'coreutils', usedBy: 'test/peers/dockerd.ts: bounded wait for an engine at process exit' },
  { program: 'openssl', package: 'openssl', usedBy: 'test/peers/docker-tls.ts: certificates for a TLS-protected dockerd' },
  { program: 'docker', package: 'docker.io', path: '/usr/bin/docker', usedBy: "test/peers/docker-cli.ts: the engine's own CLI, reading back what Docker tests changed (an independent client)" },
  { program: 'docker-registry', package: 'docker-registry', usedBy: 'test/peers/registry.ts: a local image registry for pulls with progress (no registry is reachable otherwise)' },
  // text consoles
  { program: 'python3', package: 'python3', path: '/usr/bin/python3', usedBy: "test/peers/pty-shell.ts: a shell on a real pty (the Proxmox simulator's termproxy)" },
  { program: 'env', package: 'coreutils', usedBy: "test/demo/lab-consoles.ts: the demo lab's text consoles start with a clean environment" },
  { program: 'setpriv', package: 'util-linux', usedBy: "test/demo/lab-consoles.ts: the demo lab's text consoles run as nobody when the demo runs as root" },
  // govmomi's vSphere simulator, built offline (CGO_ENABLED=0: no C compiler needed)
  { program: 'go', package: 'golang-go', usedBy: 'test/peers/vcsim.ts: builds vcsim (vSphere integration and e2e tests, bench, demo)' },
  { program: 'govmomi', package: 'golang-github-vmware-govmomi-dev', path: '/usr/share/gocode/src/github.com/vmware/govmomi/simulator', data: true, usedBy: "test/peers/vcsim.ts: govmomi's simulator sources" },
  // VNC servers for console tests
  { program: 'Xvnc', package: 'tigervnc-standalone-server', path: '/usr/bin/Xvnc', usedBy: 'test/peers/vnc.ts: the VNC servers behind the XenServer and Proxmox consoles' },
  { program: 'vncpasswd', package: 'tigervnc-tools', usedBy: "test/peers/vnc.ts: the VNC password file (Proxmox consoles' VNC authentication)" },
  { program: 'xsetroot', package: 'x11-xserver-utils', usedBy: "test/peers/vnc.ts: paints the VNC server's screen a known colour; test/peers/x-session.ts: wakes the key logger" },
  // the VNC server's own X session (test/peers/x-session.ts): what reaches the guest, checked there
  { program: 'xclip', package: 'xclip', usedBy: "test/peers/x-session.ts: sets and reads the guest's clipboard (console clipboard e2e)" },
  { program: 'xev', package: 'x11-utils', usedBy: 'test/peers/x-session.ts: logs the keys the guest receives (console keyboard e2e)' },
  { program: 'setxkbmap', package: 'x11-xkb-utils', usedBy: "test/peers/x-session.ts: gives the guest a German keyboard layout (console keyboard e2e)" },
  { program: 'xkb-data', package: 'xkb-data', path: '/usr/share/X11/xkb/symbols/de', data: true, usedBy: 'test/peers/x-session.ts: the German layout setxkbmap loads' },
  // snapshot policies' OS timer: systemd's own check of the generated user units (the check is skipped, with a message, without it)
  { program: 'systemd-analyze', package: 'systemd', optional: true, usedBy: 'test/unit/schedule-os-timer.test.ts: `systemd-analyze --user verify` of the generated timer and service' },
  // DESIGN.md §3 tools for desktop screenshots by hand; no test starts them
  { program: 'Xvfb', package: 'xvfb', optional: true, usedBy: 'desktop screenshots by hand (DESIGN.md §3)' },
  { program: 'import', package: 'imagemagick', optional: true, usedBy: 'desktop screenshots by hand (DESIGN.md §3)' },
  { program: 'convert', package: 'imagemagick', optional: true, usedBy: 'desktop screenshots by hand (DESIGN.md §3)' },
  { program: 'x11vnc', package: 'x11vnc', optional: true, usedBy: 'a VNC server on an Xvfb display, by hand (DESIGN.md §3)' },
  { program: 'xterm', package: 'xterm', optional: true, usedBy: 'a window on an Xvfb display, by hand' },
  { program: 'dbus-launch', package: 'dbus-x11', optional: true, usedBy: 'a session bus for a desktop session by hand (the tests use dbus-run-session)' },
];

/** Programs the tests run that come with Node or the base system and are not listed. */
export const TOOLCHAIN: readonly string[] = ['node', 'npm', 'npx', 'tsx', 'sh', 'bash'];

/** The packages to install, each once, in list order. */
export function debianPackages(list: readonly PeerProgram[] = PROGRAMS): string[] {
  return [...new Set(list.map((p) => p.package))];
}

/** The list entry for a program name or absolute path (as the tests spell it), if any. */
export function findListed(program: string, list: readonly PeerProgram[] = PROGRAMS): PeerProgram | undefined {
  if (program.startsWith('/')) return list.find((p) => p.path === program);
  return list.find((p) => p.program === program);
}

/** Where the program or file is on this machine, or null. */
export function locate(entry: PeerProgram, searchPath = process.env.PATH ?? ''): string | null {
  const usable = (file: string): boolean => {
    try {
      accessSync(file, entry.data ? constants.F_OK : constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (entry.path) return usable(entry.path) ? entry.path : null;
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir && usable(path.join(dir, entry.program))) return path.join(dir, entry.program);
  }
  return null;
}

export interface Problem {
  entry: PeerProgram;
  /** not installed, or installed but this user cannot run it */
  kind: 'missing' | 'needs-root';
  /** one line: what is wrong and how to fix it */
  message: string;
}

/** What keeps this entry from working here, or null. */
export function problemWith(entry: PeerProgram, uid = process.getuid?.()): Problem | null {
  if (!locate(entry)) {
    const what = entry.path ?? entry.program;
    return { entry, kind: 'missing', message: `missing: ${what} — apt-get install ${entry.package}` };
  }
  if (entry.needsRoot && uid !== 0) {
    return { entry, kind: 'needs-root', message: `${entry.program} needs root — run the tests as root (sudo npm test)` };
  }
  return null;
}

/** The problems of every entry in the list. */
export function preflight(list: readonly PeerProgram[] = PROGRAMS, uid = process.getuid?.()): Problem[] {
  return list.map((e) => problemWith(e, uid)).filter((p): p is Problem => p !== null);
}

/**
 * Why the named programs cannot be used here (the first problem), or null when they all can.
 * A peer's "unavailable reason": `unavailableReason(['Xvnc', 'vncpasswd'])`.
 */
export function unavailableReason(programs: readonly string[]): string | null {
  for (const name of programs) {
    const entry = findListed(name);
    if (!entry) throw new Error(`${name} is not in test/peers/programs.ts: add it with its Debian package`);
    const problem = problemWith(entry);
    if (problem) return problem.message;
  }
  return null;
}

export const INSTALL_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'install-debian-packages.sh');
export const BLOCK_BEGIN = '  # BEGIN generated from test/peers/programs.ts (npx tsx test/peers/preflight.ts --update-install-script)';
export const BLOCK_END = '  # END generated';

/** The package lines of install-debian-packages.sh, one package a line with the programs it provides. */
export function installScriptBlock(list: readonly PeerProgram[] = PROGRAMS): string {
  const width = Math.max(...debianPackages(list).map((p) => p.length)) + 2;
  const lines = debianPackages(list).map((pkg) => {
    const entries = list.filter((e) => e.package === pkg);
    const names = entries.map((e) => e.program).join(', ');
    const note = entries.every((e) => e.optional) ? ' (optional: no test starts it)' : '';
    return `  ${pkg.padEnd(width)}# ${names}${note}`;
  });
  return [BLOCK_BEGIN, ...lines, BLOCK_END].join('\n');
}

/** The script's text with its generated block replaced by `installScriptBlock()`. */
export function withInstallScriptBlock(script: string, list: readonly PeerProgram[] = PROGRAMS): string {
  const begin = script.indexOf(BLOCK_BEGIN);
  const end = script.indexOf(BLOCK_END);
  if (begin < 0 || end < begin) throw new Error(`${INSTALL_SCRIPT} has no generated block (${BLOCK_BEGIN.trim()} … ${BLOCK_END.trim()})`);
  return script.slice(0, begin) + installScriptBlock(list) + script.slice(end + BLOCK_END.length);
}

