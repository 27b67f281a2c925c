// A container's text console: `docker exec` of a shell with a TTY, its hijacked
// connection carrying terminal bytes both ways, and the TTY following the
// terminal's size through the exec resize API.

import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import type { ConsoleOptions } from '../../../../shared/contract';
import { PolyvisorError } from '../../../../shared/errors';
import type { ConsoleStream } from '../provider';
import { engineMessage, isHttpError } from './errors';

export const DEFAULT_SHELL = '/bin/sh';
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
  let exec: Dockerode.Exec;
  try {
    exec = await container.exec({
      Cmd: [shell],
      Tty: true,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Env: ['TERM=xterm-256color'],
      ConsoleSize: [INITIAL_SIZE.rows, INITIAL_SIZE.cols],
    });
  } catch (e) {
    if (isHttpError(e, 409)) {
      throw new PolyvisorError({ code: 'UNSUPPORTED', message: `No terminal for ${containerName}: ${engineMessage(e)}`, serverCode: 'HTTP_409', serverParams: [engineMessage(e)] });
    }
    throw e;
  }
  const stream: Duplex = await exec.start({ hijack: true, stdin: true, Tty: true });
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
      closed = true;
      stream.destroy();
    },
  };
}

function isSize(n: number): boolean {
  return Number.isInteger(n) && n > 0 && n <= 10_000;
}
