// A real shell on a real pseudo-terminal for text-console tests, without native
// Node modules: Python's pty module forks /bin/sh on a pty and relays it over
// stdin/stdout; "COLS ROWS\n" lines on fd 3 set the terminal size (TIOCSWINSZ).

import { spawn, type ChildProcess } from 'node:child_process';
import { Duplex, type Readable, type Writable } from 'node:stream';
import { unavailableReason } from './programs';

const RELAY = String.raw`
import os, pty, select, signal, struct, fcntl, termios, sys
shell = sys.argv[1]
pid, fd = pty.fork()
if pid == 0:
    os.environ['TERM'] = 'xterm-256color'
    os.environ['PS1'] = '$ '
    os.execv(shell, [shell])
def size(cols, rows):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
size(80, 24)
inputs = [0, fd, 3]
ctl = b''
try:
    while True:
        r, _, _ = select.select(inputs, [], [])
        if fd in r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            os.write(1, data)
        if 0 in r:
            data = os.read(0, 65536)
            if not data:
                break
            os.write(fd, data)
        if 3 in r:
            data = os.read(3, 1024)
            if not data:
                inputs.remove(3)
            ctl += data
            while b'\n' in ctl:
                line, ctl = ctl.split(b'\n', 1)
                cols, rows = (int(x) for x in line.split())
                size(cols, rows)
finally:
    try:
        os.kill(pid, signal.SIGHUP)
    except ProcessLookupError:
        pass
`;

export interface PtyShell {
  /** what the shell writes */
  output: Readable;
  /** what is typed */
  input: Writable;
  resize(cols: number, rows: number): void;
  /** hang up */
  close(): void;
  readonly exited: Promise<void>;
}

export function ptyShellUnavailableReason(): string | null {
  return unavailableReason(['/usr/bin/python3']);
}

export function startPtyShell(shell = '/bin/sh'): PtyShell {
  const child: ChildProcess = spawn('/usr/bin/python3', ['-c', RELAY, shell], { stdio: ['pipe', 'pipe', 'inherit', 'pipe'] });
  const control = child.stdio[3] as Writable;
  control.on('error', () => undefined);
  child.stdin!.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    output: child.stdout!,
    input: child.stdin!,
    resize(cols, rows) {
      if (Number.isInteger(cols) && Number.isInteger(rows) && cols > 0 && rows > 0) control.write(`${cols} ${rows}\n`);
    },
    close() {
      child.stdin!.end();
      if (child.exitCode === null) child.kill('SIGTERM');
    },
    exited,
  };
}

/** The shell as one stream: what is written to it is typed, what it reads is the terminal's output; closing it hangs up. */
export function ptyShellStream(shell = '/bin/sh'): Duplex {
  const pty = startPtyShell(shell);
  const stream = Duplex.from({ readable: pty.output, writable: pty.input });
  stream.once('close', () => pty.close());
  return stream;
}
