// RemoteCore's own rules, over a transport that is a scripted stand-in for the core
// process (the real process is driven in test/integration/core-process/): a process
// that never comes up is the caller's error and is not restarted; calls made while a
// new process comes up wait for it instead of failing; stop() during a restart ends it.
import { describe, expect, it } from 'vitest';
import type { CoreTransport, FromCore, ToCore } from '../../electron/core/host/core-messages';
import { RemoteCore } from '../../electron/core/host/remote-core';
import { toErrorInfo } from '../../shared/errors';

/** A stand-in core process: answers init with ready (or dies), and each dispatch with its channel's name. */
class ScriptedProcess implements CoreTransport {
  static started: ScriptedProcess[] = [];
  readonly pid = 1000 + ScriptedProcess.started.length;
  private listener: (m: FromCore) => void = () => undefined;
  private exitListener: (how: string) => void = () => undefined;
  readonly received: ToCore[] = [];
  constructor(private readonly behaviour: 'ready' | 'dies-at-init' | 'slow-init') {
    ScriptedProcess.started.push(this);
  }
  send(m: ToCore): void {
    this.received.push(m);
    queueMicrotask(() => this.handle(m));
  }
  onMessage(listener: (m: FromCore) => void): void {
    this.listener = listener;
  }
  onExit(listener: (how: string) => void): void {
    this.exitListener = listener;
  }
  kill(): void {
    queueMicrotask(() => this.exitListener('ended by SIGKILL'));
  }
  /** the slow one comes up when told */
  comeUp(): void {
    this.listener({ type: 'ready', home: '/profile' });
  }
  private handle(m: ToCore): void {
    if (m.type === 'init' && this.behaviour === 'ready') this.comeUp();
    if (m.type === 'init' && this.behaviour === 'dies-at-init') this.exitListener('exit code 1');
    if (m.type === 'call') {
      const value = m.method === 'dispatch' ? (m.args[0] === 'servers:list' || m.args[0] === 'inventory:get' ? [] : `answered ${String(m.args[0])}`) : undefined;
      this.listener({ type: 'reply', id: m.id, reply: { ok: true, value } });
    }
  }
}

const init = { mode: 'web' as const, home: '/profile', consoleOrigins: [] };
const until = async (test: () => boolean) => {
  for (let i = 0; i < 200 && !test(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(test()).toBe(true);
};

describe('RemoteCore', () => {
  it('a first process that never comes up fails start() with a clear error and is not started again', async () => {
    ScriptedProcess.started = [];
    const failure = await RemoteCore.start({ launch: () => new ScriptedProcess('dies-at-init'), init }).catch(toErrorInfo);
    expect(failure).toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/could not start \(exit code 1\)/) });
    await new Promise((r) => setTimeout(r, 30));
    expect(ScriptedProcess.started).toHaveLength(1);
  });

  it('calls made while a new process comes up wait for it and are answered by it', async () => {
    ScriptedProcess.started = [];
    const plan: Array<'ready' | 'slow-init'> = ['ready', 'slow-init'];
    const core = await RemoteCore.start({ launch: () => new ScriptedProcess(plan.shift() ?? 'ready'), init, restartDelaysMs: [0] });
    expect(await core.invoke('servers:export')).toBe('answered servers:export');
    core.killProcess();
    await until(() => ScriptedProcess.started.length === 2);
    const second = ScriptedProcess.started[1]!;
    const waiting = core.invoke('servers:export');
    await new Promise((r) => setTimeout(r, 20));
    // nothing was sent to the new process but its init while it was not up
    expect(second.received.map((m) => m.type)).toEqual(['init']);
    second.comeUp();
    expect(await waiting).toBe('answered servers:export');
    expect(core.restarts).toBe(1);
    expect(core.pid).toBe(second.pid);
    await core.stop();
  });

  it('stop() while no process is up ends without waiting for one', async () => {
    ScriptedProcess.started = [];
    const plan: Array<'ready' | 'slow-init'> = ['ready', 'slow-init'];
    const core = await RemoteCore.start({ launch: () => new ScriptedProcess(plan.shift() ?? 'ready'), init, restartDelaysMs: [60_000] });
    core.killProcess();
    await new Promise((r) => setTimeout(r, 20));
    await core.stop();
    expect(ScriptedProcess.started).toHaveLength(1);
    expect(await core.invoke('servers:export').catch(toErrorInfo)).toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/shutting down/) });
  });
});
