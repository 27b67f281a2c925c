// Putting the runner into the OS scheduler and taking it out again, one installer
// per mechanism. Everything about the machine comes in through OsTimerHost (where
// the user's folders are, whether a systemd user manager runs, how to run a
// program), so tests install into temporary folders and never reach the real
// user's systemd, crontab or agents.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PolyvisorError } from '../../../../shared/errors';
import type { RunnerStatus } from '../../../../shared/schedules';
import { crontabLine, cronMarker, withCronLine } from './crontab-line';
import { launchdLabel, launchdPlist } from './launchd-plist';
import type { RunnerSpec } from './runner-spec';
import { systemdUnits } from './systemd-units';
import { taskName, taskWrapper, taskXml, utf16, WRAPPER_FILE } from './schtasks-xml';

export interface OsTimerHost {
  platform: NodeJS.Platform;
  /** the user's home folder */
  userHome: string;
  /** XDG_CONFIG_HOME when set */
  configHome?: string;
  uid: number;
  /** booted with systemd (/run/systemd/system exists) */
  systemdBooted: boolean;
  /** a systemd user manager runs for this user (its private socket exists) */
  userManagerRuns: boolean;
  run(program: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
}

export interface Installer {
  mechanism: RunnerStatus['mechanism'];
  files: string[];
  installed(): Promise<boolean>;
  install(): Promise<void>;
  uninstall(): Promise<void>;
}

export function installerFor(spec: RunnerSpec, host: OsTimerHost): Installer {
  if (host.platform === 'win32') return schtasksInstaller(spec, host);
  if (host.platform === 'darwin') return launchdInstaller(spec, host);
  return host.systemdBooted ? systemdInstaller(spec, host) : cronInstaller(spec, host);
}

function systemdInstaller(spec: RunnerSpec, host: OsTimerHost): Installer {
  const dir = path.join(host.configHome || path.join(host.userHome, '.config'), 'systemd', 'user');
  const { service, timer } = systemdUnits(spec);
  const servicePath = path.join(dir, service.name);
  const timerPath = path.join(dir, timer.name);
  const wantsLink = path.join(dir, 'timers.target.wants', timer.name);
  const systemctl = async (...args: string[]) => {
    if (host.userManagerRuns) await mustRun(host, 'systemctl', ['--user', ...args]);
  };
  return {
    mechanism: 'systemd',
    files: [servicePath, timerPath, wantsLink],
    installed: async () => (await exists(servicePath)) && (await exists(timerPath)) && (await exists(wantsLink)),
    async install() {
      await fs.mkdir(path.dirname(wantsLink), { recursive: true });
      await fs.writeFile(servicePath, service.text);
      await fs.writeFile(timerPath, timer.text);
      // what `systemctl --user enable` does, also when no user manager runs now (it starts at the next login)
      await fs.rm(wantsLink, { force: true });
      await fs.symlink(path.join('..', timer.name), wantsLink);
      await systemctl('daemon-reload');
      await systemctl('restart', timer.name);
    },
    async uninstall() {
      if (host.userManagerRuns) await host.run('systemctl', ['--user', 'stop', timer.name]); // not running is fine: the files go below
      for (const file of [wantsLink, timerPath, servicePath]) await fs.rm(file, { force: true });
      await systemctl('daemon-reload');
    },
  };
}

function cronInstaller(spec: RunnerSpec, host: OsTimerHost): Installer {
  const current = async () => {
    const listed = await runOrExplain(host, 'crontab', ['-l']);
    // "no crontab for <user>" is an empty crontab, not a failure
    if (listed.code !== 0 && !/no crontab/i.test(listed.stderr)) throw commandFailed('crontab -l', listed.stderr);
    return listed.code === 0 ? listed.stdout : '';
  };
  const write = async (text: string) => {
    const r = await runOrExplain(host, 'crontab', ['-'], text);
    if (r.code !== 0) throw commandFailed('crontab -', r.stderr);
  };
  return {
    mechanism: 'cron',
    files: [`crontab of user ${host.uid} (${cronMarker(spec.home)})`],
    installed: async () => (await current()).split('\n').some((l) => l.endsWith(cronMarker(spec.home))),
    install: async () => write(withCronLine(await current(), spec.home, crontabLine(spec, host.uid))),
    uninstall: async () => write(withCronLine(await current(), spec.home, undefined)),
  };
}

function launchdInstaller(spec: RunnerSpec, host: OsTimerHost): Installer {
  const label = launchdLabel(spec.home);
  const plistPath = path.join(host.userHome, 'Library', 'LaunchAgents', `${label}.plist`);
  const domain = `gui/${host.uid}`;
  return {
    mechanism: 'launchd',
    files: [plistPath],
    installed: () => exists(plistPath),
    async install() {
      await fs.mkdir(path.dirname(plistPath), { recursive: true });
      await fs.writeFile(plistPath, launchdPlist(spec));
      await host.run('launchctl', ['bootout', `${domain}/${label}`]); // not loaded yet is fine
      await mustRun(host, 'launchctl', ['bootstrap', domain, plistPath]);
    },
    async uninstall() {
      await host.run('launchctl', ['bootout', `${domain}/${label}`]); // not loaded is fine: the file goes below
      await fs.rm(plistPath, { force: true });
    },
  };
}

function schtasksInstaller(spec: RunnerSpec, host: OsTimerHost): Installer {
  const name = taskName(spec.home);
  const wrapper = path.join(spec.home, WRAPPER_FILE);
  const definition = path.join(spec.home, 'schedule-runner-task.xml');
  return {
    mechanism: 'schtasks',
    files: [wrapper, definition],
    installed: async () => (await host.run('schtasks', ['/Query', '/TN', name])).code === 0,
    async install() {
      await fs.mkdir(spec.home, { recursive: true });
      await fs.writeFile(wrapper, taskWrapper(spec));
      await fs.writeFile(definition, utf16(taskXml(spec, wrapper)));
      await mustRun(host, 'schtasks', ['/Create', '/TN', name, '/XML', definition, '/F']);
    },
    async uninstall() {
      await host.run('schtasks', ['/Delete', '/TN', name, '/F']); // not there is fine: the files go below
      for (const file of [wrapper, definition]) await fs.rm(file, { force: true });
    },
  };
}

async function mustRun(host: OsTimerHost, program: string, args: string[]): Promise<void> {
  const r = await runOrExplain(host, program, args);
  if (r.code !== 0) throw commandFailed(`${program} ${args.join(' ')}`, r.stderr);
}

async function runOrExplain(host: OsTimerHost, program: string, args: string[], input?: string) {
  try {
    return await host.run(program, args, input);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PolyvisorError({ code: 'UNSUPPORTED', message: `The OS timer needs the program "${program}", which is not installed here.` });
    }
    throw e;
  }
}

function commandFailed(command: string, stderr: string): PolyvisorError {
  return new PolyvisorError({ code: 'INTERNAL', message: `"${command}" failed: ${stderr.trim() || 'no message'}` });
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}
