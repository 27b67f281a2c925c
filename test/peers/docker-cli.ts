// The engine's own CLI (Debian's docker.io) on a peer's socket: an independent client
// for reading back what a Docker test changed, never the provider under test.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { unavailableReason } from './programs';

const run = promisify(execFile);

export function dockerCliUnavailableReason(): string | null {
  return unavailableReason(['/usr/bin/docker']);
}

/** `docker <args>` against the engine at `socketPath`; resolves with its standard output. */
export async function dockerCli(socketPath: string, args: string[]): Promise<string> {
  const { stdout } = await run('/usr/bin/docker', ['--host', `unix://${socketPath}`, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
    maxBuffer: 64 << 20,
  });
  return stdout;
}

/** `docker inspect` of one object, parsed. */
export async function cliInspect<T = Record<string, unknown>>(socketPath: string, ref: string, type?: 'container' | 'image' | 'volume'): Promise<T> {
  const out = await dockerCli(socketPath, ['inspect', ...(type ? ['--type', type] : []), ref]);
  return (JSON.parse(out) as T[])[0];
}

/** The lines `docker <args> --format …` printed, empty ones dropped. */
export async function cliLines(socketPath: string, args: string[]): Promise<string[]> {
  return (await dockerCli(socketPath, args)).split('\n').filter((l) => l.trim() !== '');
}

/** The engine's named volumes, as `docker volume ls` lists them. */
export function cliVolumes(socketPath: string): Promise<string[]> {
  return cliLines(socketPath, ['volume', 'ls', '--format', '{{.Name}}']);
}
