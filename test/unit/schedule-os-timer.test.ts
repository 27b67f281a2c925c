// The OS timer that runs `polyvisor schedule run-due` while the app is closed: the
// files it generates for each OS (generation is pure: the platform is passed in),
// the systemd units checked by systemd's own `systemd-analyze verify` where it is
// installed, and installing/uninstalling into temporary folders — never into the
// real user's systemd, crontab, LaunchAgents or Task Scheduler.

import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cron } from 'croner';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crontabLine, withCronLine } from '../../electron/core/schedules/os-timer/crontab-line';
import type { OsTimerHost } from '../../electron/core/schedules/os-timer/installers';
import { launchdLabel, launchdPlist } from '../../electron/core/schedules/os-timer/launchd-plist';
import { OsTimer, realHost } from '../../electron/core/schedules/os-timer/os-timer';
import type { RunnerSpec } from '../../electron/core/schedules/os-timer/runner-spec';
import { taskName, taskWrapper, taskXml, utf16 } from '../../electron/core/schedules/os-timer/schtasks-xml';
import { systemdUnits } from '../../electron/core/schedules/os-timer/systemd-units';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin', 'polyvisor.js');
/** a profile folder with the characters each format must escape */
const awkwardHome = "/home/ann/My Profiles/50% lab $HOME 'q'";
const spec = (home = awkwardHome): RunnerSpec => ({ home, command: { program: process.execPath, args: [bin] }, intervalMinutes: 5 });

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-timer-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

/** A machine of the given kind whose folders are under tmp, recording the programs it is asked to run. */
function fakeHost(kind: Partial<OsTimerHost>, answers: (program: string, args: string[], input?: string) => { code: number; stdout?: string; stderr?: string } = () => ({ code: 0 })) {
  const calls: string[] = [];
  const host: OsTimerHost = {
    platform: 'linux',
    userHome: path.join(tmp, 'user'),
    configHome: path.join(tmp, 'config'),
    uid: 1000,
    systemdBooted: true,
    userManagerRuns: false,
    ...kind,
    run: async (program, args, input) => {
      calls.push([program, ...args].join(' '));
      const a = answers(program, args, input);
      return { code: a.code, stdout: a.stdout ?? '', stderr: a.stderr ?? '' };
    },
  };
  return { host, calls };
}

const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
const analyzeMissing = analyze.error ? 'systemd-analyze is not installed (Debian package systemd): the units are checked by this test only' : null;

/** `systemd-analyze --user verify` on unit files in a private runtime folder; its exit code and messages. */
function verify(files: string[]): { code: number | null; output: string } {
  const runtime = path.join(tmp, 'runtime');
  mkdirSync(runtime, { recursive: true, mode: 0o700 });
  const r = spawnSync('systemd-analyze', ['--user', 'verify', ...files], {
    encoding: 'utf8',
    env: { ...process.env, HOME: path.join(tmp, 'user'), XDG_CONFIG_HOME: path.join(tmp, 'config'), XDG_RUNTIME_DIR: runtime },
  });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('systemd user units (Linux)', () => {
  it('a one-shot service with the profile and the command, and a persistent timer every 5 minutes', () => {
    const { service, timer } = systemdUnits(spec());
    expect(service.name).toMatch(/^polyvisor-schedules-[0-9a-f]{10}\.service$/);
    expect(timer.name).toBe(service.name.replace(/\.service$/, '.timer'));
    const lines = service.text.split('\n');
    expect(lines).toContain('Type=oneshot');
    // % doubled (a specifier otherwise), quotes and backslashes escaped inside the quoted word
    expect(lines).toContain(`Environment="POLYVISOR_HOME=/home/ann/My Profiles/50%% lab $HOME 'q'"`);
    expect(lines).toContain(`ExecStart="${process.execPath}" "${bin}" "schedule" "run-due"`);
    expect(timer.text.split('\n')).toEqual(expect.arrayContaining(['OnCalendar=*:0/5', 'Persistent=true', `Unit=${service.name}`, 'WantedBy=timers.target']));
  });

  it('a $ in ExecStart is doubled (a variable otherwise); two profiles get two timers', () => {
    const odd = spec();
    odd.command = { program: process.execPath, args: ['/opt/$pv/bin/polyvisor.js'] };
    expect(systemdUnits(odd).service.text).toContain('"/opt/$$pv/bin/polyvisor.js"');
    expect(systemdUnits(spec('/a')).service.name).not.toBe(systemdUnits(spec('/b')).service.name);
  });

  it.skipIf(!!analyzeMissing)('systemd-analyze verify accepts the units, and rejects a service whose program is missing', () => {
    const { service, timer } = systemdUnits(spec(path.join(tmp, 'profile with space')));
    const dir = path.join(tmp, 'units');
    mkdirSync(dir);
    for (const u of [service, timer]) writeFileSync(path.join(dir, u.name), u.text);
    const good = verify([path.join(dir, service.name), path.join(dir, timer.name)]);
    expect(good, good.output).toMatchObject({ code: 0 });

    const broken = spec();
    broken.command = { program: path.join(tmp, 'no-such-node'), args: [bin] };
    const bad = systemdUnits(broken).service;
    writeFileSync(path.join(dir, bad.name), bad.text);
    const refused = verify([path.join(dir, bad.name)]);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('no-such-node');
  });
  if (analyzeMissing) it.skip(`systemd-analyze verify: SKIPPED — ${analyzeMissing}`, () => undefined);

  it('installs into the user folder (enabled by a link in timers.target.wants) without systemctl when no user manager runs', async () => {
    const { host, calls } = fakeHost({ userManagerRuns: false });
    const timer = new OsTimer(path.join(tmp, 'profile'), { program: process.execPath, args: [bin] }, host);
    expect(await timer.status()).toMatchObject({ mechanism: 'systemd', installed: false });
    const status = await timer.install();
    expect(status.installed).toBe(true);
    const [servicePath, timerPath, link] = status.files;
    expect(path.dirname(servicePath)).toBe(path.join(tmp, 'config', 'systemd', 'user'));
    expect(readFileSync(servicePath, 'utf8')).toContain(`Environment="POLYVISOR_HOME=${path.join(tmp, 'profile')}"`);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(path.resolve(path.dirname(link), readlinkSync(link))).toBe(timerPath);
    expect(status.command).toContain('schedule run-due');
    expect(calls).toEqual([]);

    expect((await timer.uninstall()).installed).toBe(false);
    for (const f of status.files) expect(existsSync(f), f).toBe(false);
    expect(calls).toEqual([]);
  });

  it('tells a running user manager: daemon-reload and restart the timer; on uninstall stop it', async () => {
    const { host, calls } = fakeHost({ userManagerRuns: true });
    const timer = new OsTimer(path.join(tmp, 'profile'), { program: process.execPath, args: [bin] }, host);
    const { files } = await timer.install();
    const unit = path.basename(files[1]);
    expect(calls).toEqual(['systemctl --user daemon-reload', `systemctl --user restart ${unit}`]);
    calls.length = 0;
    await timer.uninstall();
    expect(calls).toEqual([`systemctl --user stop ${unit}`, 'systemctl --user daemon-reload']);
  });

  it('says what failed when systemctl refuses', async () => {
    const { host } = fakeHost({ userManagerRuns: true }, (_p, args) => (args.includes('restart') ? { code: 1, stderr: 'Unit not found.' } : { code: 0 }));
    await expect(new OsTimer(path.join(tmp, 'p'), { program: process.execPath, args: [bin] }, host).install()).rejects.toThrow(/systemctl --user restart .*Unit not found/);
  });
});

describe('a crontab line (Linux without systemd)', () => {
  it('runs every 5 minutes; its command, run by sh as cron does, gets the profile and the session bus', () => {
    const home = path.join(tmp, "50% lab $HOME 'q'");
    mkdirSync(home);
    // a command that prints what it was given, in place of polyvisor
    const probe: RunnerSpec = { home, command: { program: 'sh', args: ['-c', 'printf "%s|%s|%s" "$POLYVISOR_HOME" "$DBUS_SESSION_BUS_ADDRESS" "$*"', 'probe'] }, intervalMinutes: 5 };
    const line = crontabLine(probe, 1000);
    const [minute, hour, dom, month, dow, ...command] = line.split(' ');
    expect([minute, hour, dom, month, dow]).toEqual(['*/5', '*', '*', '*', '*']);
    expect(new Cron([minute, hour, dom, month, dow].join(' '), { paused: true }).nextRuns(2, new Date('2025-01-01T10:01:00Z')).map((d) => d.getUTCMinutes())).toEqual([5, 10]);
    const text = command.join(' ');
    expect(text).not.toMatch(/[^\\]%/); // cron would end the command at a bare %
    // cron takes the backslash away before each % and hands the rest to sh
    const ran = spawnSync('sh', ['-c', text.replace(/\\%/g, '%')], { env: { PATH: process.env.PATH } });
    expect(ran.status, ran.stderr?.toString()).toBe(0);
    expect(readFileSync(path.join(home, 'schedule-runner.log'), 'utf8')).toBe(`${home}|unix:path=/run/user/1000/bus|schedule run-due`);
  });

  it('replaces its own line, keeps the others, and removes exactly its own', () => {
    const other = '0 3 * * * /usr/local/bin/backup # mine';
    const first = withCronLine(`${other}\n`, awkwardHome, crontabLine(spec(), 1000));
    const again = withCronLine(first, awkwardHome, crontabLine(spec(), 1000));
    expect(again).toBe(first);
    expect(again.trim().split('\n')).toHaveLength(2);
    const second = withCronLine(again, '/other/profile', crontabLine(spec('/other/profile'), 1000));
    expect(second.trim().split('\n')).toHaveLength(3);
    expect(withCronLine(second, awkwardHome, undefined)).toBe(`${other}\n${crontabLine(spec('/other/profile'), 1000)}\n`);
  });

  it('installs through crontab -l / crontab -, starting from "no crontab for user"', async () => {
    let crontab: string | undefined;
    const { host, calls } = fakeHost({ systemdBooted: false }, (_p, args, input) => {
      if (args[0] === '-l') return crontab === undefined ? { code: 1, stderr: 'no crontab for ann' } : { code: 0, stdout: crontab };
      crontab = input;
      return { code: 0 };
    });
    const timer = new OsTimer(path.join(tmp, 'profile'), { program: process.execPath, args: [bin] }, host);
    expect(await timer.status()).toMatchObject({ mechanism: 'cron', installed: false });
    expect((await timer.install()).installed).toBe(true);
    expect(crontab).toMatch(/^\*\/5 \* \* \* \* .* # polyvisor-schedules-[0-9a-f]{10}\n$/);
    expect((await timer.uninstall()).installed).toBe(false);
    expect(crontab).toBe('');
    expect(calls.every((c) => c === 'crontab -l' || c === 'crontab -')).toBe(true);
  });
});

describe('a LaunchAgent (macOS)', () => {
  const parser = new XMLParser({ ignoreAttributes: false, preserveOrder: false, parseTagValue: false });

  it('a plist with the label, the arguments, the profile and a 5-minute interval', () => {
    const text = launchdPlist(spec());
    expect(text).toContain('<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">');
    const dict = parser.parse(text).plist.dict;
    const keys: string[] = dict.key;
    const strings: string[] = dict.string;
    expect(keys).toEqual(['Label', 'ProgramArguments', 'EnvironmentVariables', 'StartInterval', 'RunAtLoad', 'ProcessType', 'StandardOutPath', 'StandardErrorPath']);
    expect(strings[0]).toBe(launchdLabel(awkwardHome));
    expect(dict.array.string).toEqual([process.execPath, bin, 'schedule', 'run-due']);
    expect(dict.dict).toEqual({ key: 'POLYVISOR_HOME', string: awkwardHome });
    expect(dict.integer).toBe('300');
    expect(strings.slice(1)).toEqual(['Background', `${awkwardHome}/schedule-runner.log`, `${awkwardHome}/schedule-runner.log`]);
  });

  it('escapes XML in paths', () => {
    expect(launchdPlist(spec('/Users/a&b/<p>'))).toContain('<string>/Users/a&amp;b/&lt;p&gt;</string>');
  });

  it('installs into ~/Library/LaunchAgents and bootstraps it into the gui domain', async () => {
    const { host, calls } = fakeHost({ platform: 'darwin', uid: 501 });
    const timer = new OsTimer(path.join(tmp, 'profile'), { program: process.execPath, args: [bin] }, host);
    const status = await timer.install();
    expect(status).toMatchObject({ mechanism: 'launchd', installed: true });
    const label = launchdLabel(path.join(tmp, 'profile'));
    expect(status.files).toEqual([path.join(tmp, 'user', 'Library', 'LaunchAgents', `${label}.plist`)]);
    expect(calls).toEqual([`launchctl bootout gui/501/${label}`, `launchctl bootstrap gui/501 ${status.files[0]}`]);
    expect((await timer.uninstall()).installed).toBe(false);
    expect(existsSync(status.files[0])).toBe(false);
  });
});

describe('a Task Scheduler task (Windows)', () => {
  const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false });
  const winHome = 'C:\\Users\\Ann\\AppData\\Roaming\\Polyvisor 100%';
  const winSpec: RunnerSpec = { home: winHome, command: { program: 'C:\\Program Files\\nodejs\\node.exe', args: ['C:\\pv\\bin\\polyvisor.js'] }, intervalMinutes: 5 };

  it('a task that repeats every 5 minutes, catches up a missed start, runs as the logged-on user', () => {
    const file = utf16(taskXml(winSpec, `${winHome}\\schedule-runner.cmd`));
    expect([...file.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const text = file.subarray(2).toString('utf16le');
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-16"?>\r\n')).toBe(true);
    const task = parser.parse(text).Task;
    expect(task['@_xmlns']).toBe('http://schemas.microsoft.com/windows/2004/02/mit/task');
    expect(task.RegistrationInfo.URI).toBe(taskName(winHome));
    expect(task.Triggers.TimeTrigger.Repetition.Interval).toBe('PT5M');
    expect(task.Settings).toMatchObject({ StartWhenAvailable: 'true', MultipleInstancesPolicy: 'IgnoreNew' });
    expect(task.Principals.Principal.LogonType).toBe('InteractiveToken');
    expect(task.Actions.Exec.Command).toBe(`${winHome}\\schedule-runner.cmd`);
  });

  it('the .cmd sets the profile (% doubled) and runs the command, with CRLF line ends', () => {
    expect(taskWrapper(winSpec)).toBe(
      '@echo off\r\nset "POLYVISOR_HOME=C:\\Users\\Ann\\AppData\\Roaming\\Polyvisor 100%%"\r\n"C:\\Program Files\\nodejs\\node.exe" "C:\\pv\\bin\\polyvisor.js" "schedule" "run-due"\r\n',
    );
  });

  it('installs with schtasks /Create /XML and removes with /Delete', async () => {
    let created = false;
    const { host, calls } = fakeHost({ platform: 'win32' }, (_p, args) => {
      if (args[0] === '/Create') created = true;
      if (args[0] === '/Delete') created = false;
      if (args[0] === '/Query') return { code: created ? 0 : 1 };
      return { code: 0 };
    });
    const home = path.join(tmp, 'profile');
    const timer = new OsTimer(home, { program: process.execPath, args: [bin] }, host);
    const status = await timer.install();
    expect(status).toMatchObject({ mechanism: 'schtasks', installed: true });
    const [wrapper, definition] = status.files;
    expect(readFileSync(wrapper, 'utf8')).toContain(`set "POLYVISOR_HOME=${home}"`);
    expect(calls).toContain(`schtasks /Create /TN ${taskName(home)} /XML ${definition} /F`);
    expect((await timer.uninstall()).installed).toBe(false);
    expect(calls).toContain(`schtasks /Delete /TN ${taskName(home)} /F`);
    expect(existsSync(wrapper)).toBe(false);
  });
});

describe('without a command to run', () => {
  it('says how to install it from a terminal instead', async () => {
    const { host } = fakeHost({});
    const timer = new OsTimer(path.join(tmp, 'p'), undefined, host);
    expect((await timer.status()).command).toContain('not available');
    await expect(timer.install()).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
});

describe('the programs the installers run on this computer', () => {
  it('a program that exits without reading its input has not taken it (no crash on EPIPE, never a success)', async () => {
    const r = await realHost().run('true', [], 'x'.repeat(1 << 20));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/true did not read its input \(EPIPE\)/);
  });

  it('a program given no input gets none, and its answer is read whole', async () => {
    const r = await realHost().run('sh', ['-c', 'cat; echo done'], undefined);
    expect(r).toEqual({ code: 0, stdout: 'done\n', stderr: '' });
  });
});
