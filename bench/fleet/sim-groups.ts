// The parent's side of sim-group.ts: starts a child process per group of simulated pools,
// resolves once it listens, and sends it churn and toggle requests.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SimulatedSpec } from './plan';
import type { FromGroup, GroupServer, ToGroup } from './sim-group';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface SimGroup {
  servers: GroupServer[];
  pid: number;
  churn(perSecond: number, spare: string[]): void;
  /** stops the churn: how many power changes it made */
  stopChurn(): Promise<number>;
  /** flips one VM's power: the wall-clock time it happened and the new state */
  toggle(pool: number, name: string): Promise<{ at: number; state: string }>;
  stop(): Promise<void>;
}

export function startSimGroup(specs: SimulatedSpec[], timeoutMs = 900_000): Promise<SimGroup> {
  const child: ChildProcess = fork(path.join(here, 'sim-group.ts'), [JSON.stringify(specs)], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=6144'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve: (v: { at: number; state: string }) => void; reject: (e: Error) => void }>();
  let churned: ((events: number) => void) | null = null;
  let nextId = 1;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const post = (msg: ToGroup) => child.send(msg);
  return new Promise<SimGroup>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`a simulator process (${specs.map((s) => s.name).join(', ')}) did not listen within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`a simulator process exited (${code ?? signal}) before listening`));
      for (const w of waiting.values()) w.reject(new Error('the simulator process exited'));
    });
    child.on('message', (msg: FromGroup) => {
      if (msg.op === 'ready') {
        clearTimeout(timer);
        resolve({
          servers: msg.servers,
          pid: child.pid!,
          churn: (perSecond, spare) => post({ op: 'churn', perSecond, spare }),
          stopChurn: () =>
            new Promise<number>((done) => {
              churned = done;
              post({ op: 'stop-churn' });
            }),
          toggle: (pool, name) =>
            new Promise((ok, fail) => {
              const id = nextId++;
              waiting.set(id, { resolve: ok, reject: fail });
              post({ op: 'toggle', id, pool, name });
            }),
          stop,
        });
      } else if (msg.op === 'churned') churned?.(msg.events);
      else if (msg.op === 'toggled') {
        waiting.get(msg.id)?.resolve({ at: msg.at, state: msg.state });
        waiting.delete(msg.id);
      } else if (msg.op === 'failed') {
        console.error(`simulator process: ${msg.message}`);
        if (msg.id !== undefined) waiting.get(msg.id)?.reject(new Error(msg.message));
      }
    });
  });
}
