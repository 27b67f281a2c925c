// A XAPI simulator in a child process (test/sim/xapi/cli.ts): a large pool's answers are
// serialized there, not on the event loop of the core being measured (benches, and the
// test that parses a 300 MB answer).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface SimProcess {
  host: string;
  port: number;
  /** SHA-256 of its certificate, upper-case hex with colons */
  fingerprint256: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `npm run sim:xapi -- --generate hosts=…,vms=…,snapshots=…` and resolves once it listens. */
export function startXapiSimProcess(
  spec: { hosts: number; vms: number; snapshots: number; poolName: string; vmNotesBytes?: number; allRunning?: boolean; memberHosts?: boolean },
  timeoutMs = 600_000,
): Promise<SimProcess> {
  const generate = `hosts=${spec.hosts},vms=${spec.vms},snapshots=${spec.snapshots}${spec.vmNotesBytes ? `,vmNotesBytes=${spec.vmNotesBytes}` : ''}${spec.allRunning ? ',allRunning=true' : ''}`;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'test/sim/xapi/cli.ts'), '--port', '0', '--generate', generate, ...(spec.memberHosts ? ['--member-hosts'] : []), '--pool-name', spec.poolName],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise<SimProcess>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`XAPI simulator "${spec.poolName}" did not listen within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on https?:\/\/([^:/\s]+):(\d+)/.exec(out);
      const fp = /fingerprint: ([0-9A-F:]+)/.exec(out);
      if (!m || !fp) return;
      clearTimeout(timer);
      resolve({ host: m[1]!, port: Number(m[2]), fingerprint256: fp[1]!, child, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`XAPI simulator "${spec.poolName}" exited (${code}) before listening`));
    });
  });
}
