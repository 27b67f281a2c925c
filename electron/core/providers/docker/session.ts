// One live session with an engine, as the shared connection loop opens it: ping, follow
// the event stream from a moment before anything is read, load everything, publish it
// (a reset the first time, a diff after a reconnect), then keep the tree live by
// re-reading what each batch of events names. The session ends when the event stream
// does (the engine went away) or a re-read fails.
//
// No lost updates: the stream is followed from the engine's own clock minus a second
// (the engine answers before it subscribes, and replays its recent events for `since`),
// so every change made during the load arrives as an event; the containers events named
// meanwhile are read again right after the load is published, not dropped.

import type Dockerode from 'dockerode';
import { PolyvisorError, isPolyvisorError } from '../../../../shared/errors';
import type { InventoryDelta } from '../../../../shared/model';
import { withTimeout } from '../common/concurrency';
import type { Limits } from '../common/limits';
import type { LiveSession } from '../common/live-connection';
import type { NodeDiffer } from '../common/node-differ';
import type { ProviderConfig } from '../provider';
import type { DockerEndpoint } from './connection';
import { inspectInto, loadContainersAndSnapshots, readEngine } from './engine-load';
import type { EngineFacts } from './engine-records';
import { classifyFailure, dockerError } from './errors';
import { watchEvents, type EngineEvent, type EventWatch } from './events';
import type { EngineState, InventoryBuilder } from './inventory';
import { loadImages, loadVolumes } from './store-records';
import { loadNetworks } from './network-records';

const PING_TIMEOUT_MS = 15_000;
/** events arrive in bursts (a compose project starting): gather them before re-reading */
const FLUSH_DELAY_MS = 30;

export interface SessionContext {
  docker: Dockerode;
  endpoint: DockerEndpoint;
  where: string;
  limits: Limits;
  differ: NodeDiffer;
  builder: InventoryBuilder;
  publish(delta: InventoryDelta): void;
  log: NonNullable<ProviderConfig['log']>;
  /** each line of the event stream, for the Notifications view */
  observeNotifications?(line: string): void;
}

export class DockerSession implements LiveSession {
  private state!: EngineState;
  private watch: EventWatch | null = null;
  private established = false;
  private closed = false;
  private failure: PolyvisorError | null = null;
  private rejectEnded!: (err: PolyvisorError) => void;
  /** rejects when the session is over (never resolves) */
  private readonly ended = new Promise<never>((_, reject) => (this.rejectEnded = reject));
  private readonly pending = new Set<string>();
  private readonly destroyed = new Set<string>();
  private pendingSnapshots = false;
  private pendingVolumes = false;
  private pendingNetworks = false;
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private malformedLines = 0;

  private constructor(private readonly ctx: SessionContext) {
    // follow() hands the failure on; until then nobody awaits it
    this.ended.catch(() => undefined);
  }

  static async open(ctx: SessionContext, firstOpen: boolean): Promise<DockerSession> {
    const session = new DockerSession(ctx);
    try {
      await session.start(firstOpen);
      return session;
    } catch (err) {
      await session.close();
      throw await classifyFailure(err, 'Connecting', ctx.endpoint, ctx.where);
    }
  }

  get engine(): EngineFacts {
    return this.state.engine;
  }

  get view(): Readonly<EngineState> {
    return this.state;
  }

  follow(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
      this.ended.catch(reject);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watch?.stop();
    this.watch = null;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
  }

  /** After an action: its effect is in the tree before the task completes. */
  async refreshNow(containers: string[], destroyed: string[], snapshots: boolean, volumes = false, networks = false): Promise<void> {
    for (const id of containers) this.pending.add(id);
    for (const id of destroyed) this.destroyed.add(id);
    if (snapshots) this.pendingSnapshots = true;
    if (volumes) this.pendingVolumes = true;
    if (networks) this.pendingNetworks = true;
    await this.flush();
  }

  private async start(firstOpen: boolean): Promise<void> {
    const { docker, where, limits } = this.ctx;
    await withTimeout(docker.ping(), PING_TIMEOUT_MS, () =>
      new PolyvisorError({ code: 'CONNECTION_FAILED', message: `The Docker engine at ${where} did not answer within ${PING_TIMEOUT_MS / 1000} s` }),
    );
    const engine = await readEngine(docker, where);
    const since = engine.systemTimeMs === null ? undefined : Math.floor(engine.systemTimeMs / 1000) - 1;
    this.watch = await watchEvents(docker, { sinceSeconds: since, maxLineBytes: limits.maxEventLineBytes, where }, {
      event: (ev) => this.onEvent(ev),
      closed: (err) => this.lost(err),
      observeNotifications: this.ctx.observeNotifications,
    });
    // a stream that fails during the load fails the open with its own error
    this.state = await Promise.race([loadContainersAndSnapshots(docker, where, engine), this.ended]);
    this.state.volumes = await Promise.race([loadVolumes(docker, where, this.state.containers.size, this.ctx.log), this.ended]);
    this.state.networks = await Promise.race([loadNetworks(docker, where), this.ended]);
    const { differ, builder } = this.ctx;
    const all = builder.all(this.state);
    const delta = firstOpen || !differ.primed ? differ.reset(all) : differ.diffAll(all);
    if (delta) this.ctx.publish(delta);
    this.established = true;
    if (this.pending.size || this.destroyed.size || this.pendingSnapshots || this.pendingVolumes || this.pendingNetworks) this.scheduleFlush();
  }

  private onEvent(ev: Exclude<EngineEvent, { kind: 'ignored' }>): void {
    switch (ev.kind) {
      case 'malformed':
        // a hostile engine could send nothing else: say it once, then every thousandth time
        if (this.malformedLines++ % 1000 === 0) this.ctx.log('warn', `Docker engine at ${this.ctx.where}: skipped an event line that is not an event (${ev.reason})`);
        return;
      case 'images':
        this.pendingSnapshots = true;
        break;
      case 'volumes':
        this.pendingVolumes = true;
        break;
      case 'networks':
        this.pendingNetworks = true;
        break;
      case 'container':
        if (ev.action === 'destroy') this.destroyed.add(ev.id);
        else this.pending.add(ev.id);
        break;
    }
    this.scheduleFlush();
  }

  private lost(err?: Error): void {
    if (this.closed || this.failure) return;
    this.failure = isPolyvisorError(err)
      ? err
      : new PolyvisorError(
          { code: 'CONNECTION_FAILED', message: `Lost the Docker engine at ${this.ctx.where}${err ? `: ${err.message}` : ': its event stream ended'}` },
          { cause: err },
        );
    this.rejectEnded(this.failure);
  }

  private scheduleFlush(): void {
    if (!this.established || this.flushTimer || this.closed) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flush();
    }, FLUSH_DELAY_MS);
  }

  /** One re-read at a time, in order; each takes whatever is pending when it starts. */
  private flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushOnce());
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    if (this.closed || this.failure) return;
    const { docker, where, differ, builder } = this.ctx;
    const state = this.state;
    const destroyed = [...this.destroyed];
    const ids = [...this.pending].filter((id) => !this.destroyed.has(id));
    const snapshots = this.pendingSnapshots;
    const volumes = this.pendingVolumes;
    const networks = this.pendingNetworks;
    this.destroyed.clear();
    this.pending.clear();
    this.pendingSnapshots = false;
    this.pendingVolumes = false;
    this.pendingNetworks = false;
    try {
      for (const id of destroyed) state.containers.delete(id);
      await inspectInto(docker, where, ids, state.containers);
      if (snapshots) Object.assign(state, await loadImages(docker, where));
      if (volumes) state.volumes = await loadVolumes(docker, where, state.containers.size, this.ctx.log);
      if (networks) state.networks = await loadNetworks(docker, where);
      if (this.closed) return;
      const delta = snapshots || volumes || networks ? differ.diffAll(builder.all(state)) : differ.diff(builder.affectedBy(state, [...ids, ...destroyed]));
      if (delta) this.ctx.publish(delta);
    } catch (err) {
      // a re-read that fails ends the session: the connection loop reconnects and reloads
      this.lost(dockerError(err, 'Refreshing', where));
    }
  }
}
