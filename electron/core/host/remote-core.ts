// The host's stand-in for a core that runs in its own process: the same PolyvisorCore
// (dispatch, invoke, on, start, stop…), each call sent with a request id and its reply
// awaited; events forwarded to local listeners; what only the host can do (its channels,
// viewer links) answered here. If the core process dies, every pending call fails with
// a clear error (the page shows it as that call's error), the tasks it was running are
// reported failed with it, the host's log says so, and a new process is started that
// reconnects the saved servers; the page's tree and server list are reset to the new core's.

import type { Channel, ChannelArgs, ChannelHandlers, ChannelResult, EventMap, EventName, Reply, TaskInfo } from '../../../shared/contract';
import { PolyvisorError, toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';
import type { PolyvisorCore } from '../app-core';
import type { LinkOpener } from '../console/system-launcher';
import type { RunDueReport } from '../schedules/own-runner';
import type { CoreLauncher, CoreMethod, CoreProcessInit, CoreTransport, FromCore, HostCall } from './core-messages';

export interface RemoteCoreOptions {
  launch: CoreLauncher;
  init: Omit<CoreProcessInit, 'hostChannels' | 'hostOpensLinks'>;
  /** channels the host answers itself (Electron: menu:update) */
  hostHandlers?: Partial<ChannelHandlers>;
  /** how the host opens viewer links (Electron's shell) */
  links?: LinkOpener;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** waits before each restart in a row (the last repeats); a process that lived a minute resets the row */
  restartDelaysMs?: readonly number[];
}

const LIVED_LONG_ENOUGH_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

interface Pending {
  resolve(value: unknown): void;
  reject(e: unknown): void;
}

type Listener = (payload: never) => void;

export class RemoteCore implements PolyvisorCore {
  home = '';
  /** how many times the core process was started again after it died */
  restarts = 0;
  private transport!: CoreTransport;
  private ready!: Promise<void>;
  /** resolves when the current process has gone */
  private exited!: Promise<void>;
  private alive = false;
  private bornAt = 0;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private readonly listeners = new Map<EventName, Set<Listener>>();
  private readonly runningTasks = new Map<string, TaskInfo>();
  private readonly consoleOrigins: string[];
  private started = false;
  private stopped = false;
  private failuresInARow = 0;

  private constructor(private readonly options: RemoteCoreOptions) {
    this.consoleOrigins = [...options.init.consoleOrigins];
  }

  /** Starts the core process and resolves once its core is built (its profile read). */
  static async start(options: RemoteCoreOptions): Promise<RemoteCore> {
    const remote = new RemoteCore(options);
    remote.launch();
    await remote.ready;
    return remote;
  }

  get pid(): number | undefined {
    return this.transport.pid;
  }

  dispatch(channel: unknown, args: unknown): Promise<unknown> {
    return this.call('dispatch', [channel, args]);
  }

  invoke<C extends Channel>(channel: C, ...args: ChannelArgs<C>): Promise<ChannelResult<C>> {
    return this.dispatch(channel, args) as Promise<ChannelResult<C>>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  async start(): Promise<void> {
    this.started = true;
    await this.call('start', []);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.alive) {
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref());
      try {
        await Promise.race([this.send('stop', []), timeout]);
      } catch (e) {
        this.options.log?.('warn', `The core process did not stop cleanly: ${toErrorInfo(e).message}`);
      }
    }
    this.transport.kill();
    await this.exited;
  }

  waitForTask(taskId: string): Promise<TaskInfo> {
    return this.call('waitForTask', [taskId]) as Promise<TaskInfo>;
  }

  runDueSchedules(): Promise<RunDueReport> {
    return this.call('runDueSchedules', []) as Promise<RunDueReport>;
  }

  /** The console bridge (in the core process) accepts pages of this origin too (web mode, once it listens). */
  async allowConsoleOrigin(origin: string): Promise<void> {
    this.consoleOrigins.push(origin);
    await this.call('allowConsoleOrigin', [origin]);
  }

  /** A round trip to the core process that runs nothing of the core (tests, diagnostics). */
  ping(): Promise<unknown> {
    return this.call('ping', [Date.now()]);
  }

  /** Kills the core process as if it had crashed (tests). */
  killProcess(): void {
    this.transport.kill();
  }

  private async call(method: CoreMethod, args: unknown[]): Promise<unknown> {
    if (this.stopped && method !== 'stop') throw new PolyvisorError({ code: 'INTERNAL', message: 'Polyvisor is shutting down: the call was not made.' });
    await this.ready;
    return this.send(method, args);
  }

  private send(method: CoreMethod, args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.transport.send({ type: 'call', id, method, args });
    });
  }

  private launch(): void {
    const transport = this.options.launch();
    this.transport = transport;
    this.bornAt = Date.now();
    const pending = new Map<number, Pending>();
    this.pending = pending;
    this.alive = true;
    let wasReady = false;
    let exited!: () => void;
    this.exited = new Promise<void>((resolve) => (exited = resolve));
    this.ready = new Promise<void>((resolve, reject) => {
      const ready = () => {
        wasReady = true;
        resolve();
      };
      transport.onMessage((m) => this.receive(m, pending, ready, reject));
      transport.onExit((how) => {
        this.alive = false;
        exited();
        const crashed = wasReady || this.restarts > 0;
        const message = this.stopped ? 'Polyvisor stopped before the call was answered.' : crashed ? diedMessage(how) : `The Polyvisor core process could not start (${how}); see its output above.`;
        const error = new PolyvisorError({ code: 'INTERNAL', message });
        reject(error);
        for (const call of pending.values()) call.reject(error);
        pending.clear();
        // a first process that never came up is the caller's error (RemoteCore.start rejects), not a crash to restart
        if (!this.stopped && crashed) this.died(how);
      });
    });
    // a failed start is seen by whoever waits for ready; this keeps it from being unhandled meanwhile
    this.ready.catch(() => undefined);
    transport.send({
      type: 'init',
      init: { ...this.options.init, consoleOrigins: this.consoleOrigins, hostChannels: Object.keys(this.options.hostHandlers ?? {}) as Channel[], hostOpensLinks: !!this.options.links },
    });
  }

  private receive(m: FromCore, pending: Map<number, Pending>, ready: () => void, failed: (e: unknown) => void): void {
    switch (m.type) {
      case 'ready':
        this.home = m.home;
        ready();
        return;
      case 'init-failed':
        failed(new PolyvisorError(m.error));
        return;
      case 'reply': {
        const call = pending.get(m.id);
        pending.delete(m.id);
        if (!call) return;
        if (m.reply.ok) call.resolve(m.reply.value);
        else call.reject(new PolyvisorError(m.reply.error));
        return;
      }
      case 'event':
        if (m.event === 'task:changed') this.trackTask(m.payload);
        this.emit(m.event, m.payload);
        return;
      case 'host-call':
        void this.answerHost(m.call).then((reply) => this.transport.send({ type: 'host-reply', id: m.id, reply }));
        return;
    }
  }

  private async answerHost(call: HostCall): Promise<Reply<unknown>> {
    try {
      switch (call.name) {
        case 'channel': {
          const handler = this.options.hostHandlers?.[call.channel] as ((...args: unknown[]) => unknown) | undefined;
          if (!handler) throw new PolyvisorError({ code: 'UNSUPPORTED', message: `This host does not answer ${call.channel}.` });
          return { ok: true, value: await handler(...call.args) };
        }
        case 'links.handles':
          return { ok: true, value: (await this.options.links?.handles(call.scheme)) ?? false };
        case 'links.open':
          if (!this.options.links) throw new PolyvisorError({ code: 'UNSUPPORTED', message: 'This host cannot open links.' });
          await this.options.links.open(call.link);
          return { ok: true, value: undefined };
      }
    } catch (e) {
      return { ok: false, error: toErrorInfo(e) };
    }
  }

  private trackTask(task: TaskInfo): void {
    if (task.status === 'running') this.runningTasks.set(task.id, task);
    else this.runningTasks.delete(task.id);
  }

  private emit(event: EventName, payload: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as (p: unknown) => void)(payload);
      } catch (e) {
        this.options.log?.('error', `A listener of ${event} failed: ${toErrorInfo(e).message}`);
      }
    }
  }

  /** The process died on its own: log it, fail what it was doing, start a new one. */
  private died(how: string): void {
    const message = diedMessage(how);
    this.options.log?.('error', message);
    const error: ErrorInfo = { code: 'INTERNAL', message };
    for (const task of this.runningTasks.values()) this.emit('task:changed', { ...task, status: 'failure', finishedAt: Date.now(), cancellable: false, error });
    this.runningTasks.clear();
    if (Date.now() - this.bornAt >= LIVED_LONG_ENOUGH_MS) this.failuresInARow = 0;
    const delays = this.options.restartDelaysMs ?? [0, 1_000, 5_000, 30_000];
    const delay = delays[Math.min(this.failuresInARow, delays.length - 1)] ?? 0;
    this.failuresInARow++;
    setTimeout(() => void this.restart(), delay).unref();
  }

  private async restart(): Promise<void> {
    if (this.stopped) return;
    this.restarts++;
    this.launch();
    try {
      await this.ready;
      await this.resyncPages();
      if (this.started) await this.send('start', []);
      this.options.log?.('info', `A new core process (pid ${this.transport.pid}) took over.`);
    } catch (e) {
      this.options.log?.('error', `The new core process could not take over: ${toErrorInfo(e).message}`);
    }
  }

  /** The page's server list and tree become the new core's (it starts from the profile and the last known trees). */
  private async resyncPages(): Promise<void> {
    const [servers, nodes] = (await Promise.all([this.send('dispatch', ['servers:list', []]), this.send('dispatch', ['inventory:get', []])])) as [
      ChannelResult<'servers:list'>,
      InventoryNode[],
    ];
    for (const view of servers) {
      this.emit('server:changed', view);
      this.emit('inventory:delta', { serverId: view.id, reset: true, upsert: nodes.filter((n) => n.serverId === view.id), remove: [] });
    }
  }
}

function diedMessage(how: string): string {
  return `The Polyvisor core process stopped unexpectedly (${how}); calls it had not answered failed. A new one is starting and reconnects the saved servers.`;
}
