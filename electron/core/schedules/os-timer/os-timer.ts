// The OS timer of one profile (schedules:runner / installRunner / uninstallRunner):
// which mechanism this computer has, what it would write, and installing it.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PolyvisorError } from '../../../../shared/errors';
import type { RunnerStatus } from '../../../../shared/schedules';
import { installerFor, type OsTimerHost } from './installers';
import { DEFAULT_INTERVAL_MINUTES, displayCommand, type RunnerCommand, type RunnerSpec } from './runner-spec';

export class OsTimer {
  constructor(
    private readonly home: string,
    private readonly command: RunnerCommand | undefined,
    private readonly host: OsTimerHost = realHost(),
  ) {}

  async status(): Promise<RunnerStatus> {
    const installer = installerFor(this.spec(), this.host);
    return { mechanism: installer.mechanism, installed: await installer.installed(), files: installer.files, command: this.commandText() };
  }

  async install(): Promise<RunnerStatus> {
    if (!this.command) {
      throw new PolyvisorError({
        code: 'UNSUPPORTED',
        message: 'This build cannot tell the OS how to start Polyvisor without a window; run "polyvisor schedule install" from a terminal.',
      });
    }
    await installerFor(this.spec(), this.host).install();
    return this.status();
  }

  async uninstall(): Promise<RunnerStatus> {
    await installerFor(this.spec(), this.host).uninstall();
    return this.status();
  }

  private spec(): RunnerSpec {
    return { home: this.home, command: this.command ?? { program: 'polyvisor', args: [] }, intervalMinutes: DEFAULT_INTERVAL_MINUTES };
  }

  private commandText(): string {
    return this.command ? displayCommand(this.spec()) : 'polyvisor schedule run-due (not available from this build)';
  }
}

/** This computer, as the installers see it. */
export function realHost(env: NodeJS.ProcessEnv = process.env): OsTimerHost {
  const runtime = env.XDG_RUNTIME_DIR;
  return {
    platform: process.platform,
    userHome: env.HOME || os.homedir(),
    configHome: env.XDG_CONFIG_HOME || undefined,
    uid: process.getuid?.() ?? 0,
    systemdBooted: existsSync('/run/systemd/system'),
    userManagerRuns: !!runtime && existsSync(path.join(runtime, 'systemd', 'private')),
    run: (program, args, input) => runProgram(program, args, input, env),
  };
}

function runProgram(program: string, args: string[], input: string | undefined, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], windowsHide: true });
    let stdout = '';
    let stderr = '';
    // a program that exits without reading its input (EPIPE) has not taken it: never a success
    let inputRefused: NodeJS.ErrnoException | undefined;
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (inputRefused && code === 0) resolve({ code: 1, stdout, stderr: `${stderr}${program} did not read its input (${inputRefused.code ?? inputRefused.message})` });
      else resolve({ code: code ?? 1, stdout, stderr });
    });
    if (input !== undefined) {
      child.stdin!.once('error', (e: NodeJS.ErrnoException) => (inputRefused = e));
      child.stdin!.end(input);
    }
  });
}
