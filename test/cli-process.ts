// The `polyvisor` command as a user runs it: its own process (bin/polyvisor.js, or a
// bundle of the CLI), its output collected, its stdin given and closed.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const POLYVISOR_BIN = path.join(repoRoot, 'bin', 'polyvisor.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <entry> …args` in the repository with `env` added to this process's environment. */
export function runCli(args: string[], options: { entry?: string; stdin?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.entry ?? POLYVISOR_BIN, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    // the CLI may exit before it reads its input (EPIPE): its exit code and output are the outcome
    child.stdin.once('error', (e: NodeJS.ErrnoException) => (stderr += `\n[test] stdin not read: ${e.code ?? e.message}`));
    child.stdin.end(options.stdin ?? '');
  });
}
