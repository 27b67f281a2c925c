// A container's text console: `docker exec` of a shell with a TTY, its hijacked
// connection carrying terminal bytes both ways, and the TTY following the
// terminal's size through the exec resize API.

import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import type { ConsoleOptions } from '../../../../shared/contract';
import { PolyvisorError } from '../../../../shared/errors';
import type { ConsoleStream } from '../provider';
import { engineMessage, isHttpError } from './errors';

export const DEFAULT_SHELL = '/bin/sh';
/** the shells offered, in this order, where the container has them */
export const SHELL_CANDIDATES = [DEFAULT_SHELL, '/bin/bash', '/bin/ash', '/bin/zsh'] as const;

/**
 * The candidate shells present in the container, by the engine's own stat of each path
 * (HEAD /containers/{id}/archive): no process is started, and a container without any
 * shell at all still answers.
 */
export async function shellsIn(docker: Dockerode, containerId: string): Promise<string[]> {
  const container = docker.getContainer(containerId);
  const found: string[] = [];
  // one after the other: four small requests, and the engine is not asked for more at once
  for (const path of SHELL_CANDIDATES) {
    try {
      // dockerode answers HEAD with the response stream: read it to its end, or its socket stays taken
      const answer = (await container.infoArchive({ path })) as { resume?: () => void };
      answer.resume?.();
      found.push(path);
    } catch (e) {
      if (!isHttpError(e, 404)) throw e;
    }
  }
  return found;
}
const INITIAL_SIZE = { cols: 80, rows: 24 };

export async function openExecConsole(
  docker: Dockerode,
  containerId: string,
  containerName: string,
  options: ConsoleOptions = {},
): Promise<ConsoleStream> {
  const container = docker.getContainer(containerId);
  const info = await container.inspect();
  if (!info.State.Running || info.State.Paused) {
    const state = info.State.Paused ? 'paused' : info.State.Status;
    throw new PolyvisorError({
      code: 'UNSUPPORTED',
      message: `The container ${containerName} is ${state}: start it to open a terminal.`,
      serverCode: state,
    });
  }
  const shell = options.shell || DEFAULT_SHELL;
  const marker = `POLYVISOR_CONSOLE=${randomBytes(8).toString('hex')}`;
  let exec: Dockerode.Exec;
  try {
    exec = await container.exec({
      Cmd: [shell],
      Tty: true,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Env: ['TERM=xterm-256color', marker],
      ConsoleSize: [INITIAL_SIZE.rows, INITIAL_SIZE.cols],
    });
  } catch (e) {
    if (isHttpError(e, 409)) {
      throw new PolyvisorError({ code: 'UNSUPPORTED', message: `No terminal for ${containerName}: ${engineMessage(e)}`, serverCode: 'HTTP_409', serverParams: [engineMessage(e)] });
    }
    throw e;
  }
  const stream: Duplex = await exec.start({ hijack: true, stdin: true, Tty: true });
  // Engines before API 1.42 ignore ConsoleSize and start the TTY at 0×0, which some programs refuse.
  // A refused resize leaves that size; the terminal works regardless and the tab resizes it later.
  await exec.resize({ h: INITIAL_SIZE.rows, w: INITIAL_SIZE.cols }).catch(() => undefined);
  let closed = false;
  return {
    protocol: 'text',
    stream,
    async resize(cols: number, rows: number) {
      if (closed || !isSize(cols) || !isSize(rows)) return;
      // The exec may have ended a moment ago: its resize then fails and there is nothing to resize.
      await exec.resize({ h: rows, w: cols }).catch(() => undefined);
    },
    close() {
      if (closed) return;
      closed = true;
      stream.destroy();
      void hangUp(container, exec, marker, shell);
    },
  };
}

/**
 * The engine keeps an exec's process running after its connection closes (moby#9098), so a
 * closed tab would leave its shell behind: hang it up like a terminal would, finding it in the
 * container by the marker in its environment.
 */
async function hangUp(container: Dockerode.Container, exec: Dockerode.Exec, marker: string, shell: string): Promise<void> {
  try {
    if (!(await exec.inspect()).Running) return;
    const script = `for p in /proc/[0-9]*; do grep -q '${marker}' "$p/environ" 2>/dev/null && kill -HUP "\${p#/proc/}"; done`;
    const killer = await container.exec({ Cmd: [shell, '-c', script], AttachStdout: false, AttachStderr: false });
    await killer.start({ Detach: true });
  } catch {
    // the container stopped meanwhile, or has no grep: nothing more to do from here
  }
}

function isSize(n: number): boolean {
  return Number.isInteger(n) && n > 0 && n <= 10_000;
}
