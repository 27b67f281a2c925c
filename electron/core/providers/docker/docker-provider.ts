// A Docker engine as a Provider: the engine node, compose projects, containers and
// snapshot images, kept live from the engine's event stream; reconnects with backoff
// when the engine goes away and resyncs everything when it is back.

import { PassThrough, type Readable } from 'node:stream';
import Dockerode from 'dockerode';
import type { ContainerInspectInfo } from 'dockerode';
import type { ActionParams, ConsoleOptions, LogsOptions } from '../../../../shared/contract';
import { PolyvisorError, type ErrorInfo } from '../../../../shared/errors';
import type { ActionName, Capabilities, ConnectionState, InventoryDelta, PowerAction } from '../../../../shared/model';
import { nodeId } from '../../../../shared/model';
import { certificateErrorFor } from '../../tls/classify';
import type { ActionResult, ConsoleStream, Provider, ProviderConfig, ProviderEvents, TaskReporter } from '../provider';
import { ProviderListeners } from '../common/provider-listeners';
import { openExecConsole } from './console';
import { describeEndpoint, dockerOptions, resolveEndpoint, type DockerEndpoint, type SshHostKeySeen } from './connection';
import { dockerError, isHttpError } from './errors';
import { watchEvents, type EventWatch } from './events';
import { containerName, currentSnapshotImage, InventoryBuilder, NodeDiffer, type EngineFacts, type EngineState } from './inventory';
import { L, parseSnapshotImage, type SnapshotRecord } from './snapshot-labels';
import { checkpointContainer, deleteSnapshot, listSnapshotImages, restoreSnapshot, takeSnapshot } from './snapshots';

const POWER_ACTIONS: PowerAction[] = ['start', 'shutdown', 'force_shutdown', 'reboot', 'force_reboot', 'pause', 'unpause'];
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 3000, 5000];
const PING_TIMEOUT_MS = 15_000;
const FLUSH_DELAY_MS = 30;
const INSPECT_CONCURRENCY = 8;

export interface LogOptions {
  /** number of lines from the end; default all */
  tail?: number;
  /** keep the stream open for new lines */
  follow?: boolean;
  timestamps?: boolean;
}

export class DockerProvider implements Provider {
  readonly type = 'docker' as const;
  private readonly endpoint: DockerEndpoint;
  private readonly where: string;
  private readonly hostKeySeen: SshHostKeySeen = {};
  private docker: Dockerode | null = null;
  private state: EngineState | null = null;
  private watch: EventWatch | null = null;
  private readonly differ = new NodeDiffer();
  private readonly builder: InventoryBuilder;
  private readonly listeners = new ProviderListeners();
  private connection: ConnectionState = 'disconnected';
  private closing = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectAttempt = 0;
  private readonly pendingContainers = new Set<string>();
  private readonly destroyedContainers = new Set<string>();
  private pendingSnapshots = false;
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(private readonly config: ProviderConfig) {
    this.builder = new InventoryBuilder(config.serverId);
    this.endpoint = resolveEndpoint(config);
    this.where = describeEndpoint(this.endpoint);
  }

  get capabilities(): Capabilities {
    return {
      snapshotKinds: this.state?.engine.experimental ? ['disk', 'volumes', 'memory'] : ['disk', 'volumes'],
      consoles: ['text'],
      powerActions: POWER_ACTIONS,
    };
  }

  /** The connection state as last reported. */
  get connectionState(): ConnectionState {
    return this.connection;
  }

  on<E extends keyof ProviderEvents>(event: E, listener: ProviderEvents[E]): () => void {
    return this.listeners.on(event, listener);
  }

  async connect(): Promise<void> {
    this.closing = false;
    this.connection = 'connecting';
    try {
      this.docker = new Dockerode(dockerOptions(this.endpoint, this.config, this.hostKeySeen));
      await this.openSession();
      this.connection = 'connected';
    } catch (e) {
      this.connection = 'error';
      this.teardown();
      throw await this.classify(e, 'Connecting');
    }
  }

  async disconnect(): Promise<void> {
    this.closing = true;
    this.teardown();
    if (this.flushing) await this.flushing.catch(() => undefined);
    this.setState('disconnected');
  }

  async runAction(
    target: { nativeRef: string; kind: string },
    action: ActionName,
    params: ActionParams,
    task: TaskReporter,
  ): Promise<ActionResult> {
    const docker = this.requireDocker();
    task.setCancellable(null);
    try {
      if (target.kind === 'container') return await this.containerAction(docker, target.nativeRef, action, params, task);
      if (target.kind === 'snapshot') return await this.snapshotAction(docker, target.nativeRef, action, params, task);
    } catch (e) {
      throw await this.classify(e, `${action} failed`);
    }
    throw unsupported(`${action} is not available for a Docker ${target.kind}`);
  }

  /** A terminal in a running container: an exec of `options.shell` (default /bin/sh) with a TTY. */
  async openConsole(target: { nativeRef: string; kind: string }, protocol: 'rfb' | 'text', options: ConsoleOptions = {}): Promise<ConsoleStream> {
    if (target.kind !== 'container' || protocol !== 'text') {
      throw unsupported(`A Docker ${target.kind} has no ${protocol === 'rfb' ? 'graphical console' : 'terminal'}`);
    }
    const docker = this.requireDocker();
    const name = this.state?.containers.get(target.nativeRef)?.Name?.replace(/^\//, '') ?? target.nativeRef.slice(0, 12);
    try {
      return await openExecConsole(docker, target.nativeRef, name, options);
    } catch (e) {
      throw await this.classify(e, 'Opening a terminal');
    }
  }

  /** The Provider interface's log stream: a container's log through getLogs. */
  async openLogs(target: { nativeRef: string; kind: string }, options: LogsOptions): Promise<Readable> {
    if (target.kind !== 'container') throw unsupported(`A Docker ${target.kind} has no log`);
    return this.getLogs(target.nativeRef, { tail: options.tail, follow: options.follow });
  }

  /**
   * Container logs as text (stdout and stderr interleaved). With `follow` the stream stays
   * open until the container stops or the caller destroys it.
   */
  async getLogs(nativeRef: string, options: LogOptions = {}): Promise<Readable> {
    const docker = this.requireDocker();
    const container = docker.getContainer(nativeRef);
    try {
      const info = await container.inspect();
      const common = {
        stdout: true,
        stderr: true,
        timestamps: options.timestamps ?? false,
        ...(options.tail !== undefined ? { tail: options.tail } : {}),
      };
      const out = new PassThrough();
      if (options.follow) {
        const raw = (await container.logs({ ...common, follow: true as const })) as unknown as Readable;
        if (info.Config.Tty) raw.pipe(out);
        else {
          docker.modem.demuxStream(raw, out, out);
          raw.on('end', () => out.end());
          raw.on('error', (err) => out.destroy(err));
        }
        out.on('close', () => raw.destroy());
      } else {
        const raw = await container.logs({ ...common, follow: false as const });
        out.end(info.Config.Tty ? raw : demuxBuffer(raw));
      }
      return out;
    } catch (e) {
      throw await this.classify(e, 'Reading logs');
    }
  }

  // ---- session ---------------------------------------------------------------

  private async openSession(): Promise<void> {
    const docker = this.docker!;
    await withTimeout(docker.ping(), PING_TIMEOUT_MS, () =>
      new PolyvisorError({ code: 'CONNECTION_FAILED', message: `The Docker engine at ${this.where} did not answer within ${PING_TIMEOUT_MS / 1000} s` }),
    );
    // Follow events before listing, so nothing that happens during the listing is missed.
    let established = false;
    let lostEarly: Error | null = null;
    const watch = await watchEvents(docker, {
      container: (id, action) => {
        if (action === 'destroy') this.destroyedContainers.add(id);
        else this.pendingContainers.add(id);
        this.scheduleFlush();
      },
      image: () => {
        this.pendingSnapshots = true;
        this.scheduleFlush();
      },
      closed: (err) => {
        if (established) this.engineLost(err);
        else lostEarly = err ?? new Error('event stream ended');
      },
    });
    try {
      const state = await this.loadState(docker);
      if (lostEarly) throw lostEarly;
      established = true;
      this.watch = watch;
      this.state = state;
      this.pendingContainers.clear();
      this.destroyedContainers.clear();
      this.pendingSnapshots = false;
      const nodes = this.builder.build(state);
      this.differ.reset(nodes);
      this.emit({ serverId: this.config.serverId, reset: true, upsert: nodes, remove: [] });
    } catch (e) {
      watch.stop();
      throw e;
    }
  }

  private async loadState(docker: Dockerode): Promise<EngineState> {
    const [info, version, list, images] = await Promise.all([
      docker.info(),
      docker.version(),
      docker.listContainers({ all: true }),
      listSnapshotImages(docker),
    ]);
    const engine: EngineFacts = {
      name: info.Name,
      id: info.ID,
      version: info.ServerVersion,
      apiVersion: version.ApiVersion,
      os: info.OperatingSystem,
      kernel: info.KernelVersion,
      cpus: info.NCPU,
      memory: info.MemTotal,
      storageDriver: info.Driver,
      experimental: !!info.ExperimentalBuild,
    };
    const containers = new Map<string, ContainerInspectInfo>();
    await forEachLimited(list.map((c) => c.Id), INSPECT_CONCURRENCY, async (id) => {
      const c = await inspectOrNull(docker, id);
      if (c && !isHelper(c)) containers.set(c.Id, c);
    });
    return { engine, containers, snapshots: snapshotMap(images) };
  }

  private engineLost(err?: Error): void {
    if (this.closing) return;
    this.watch = null;
    this.config.log?.('warn', `Docker engine at ${this.where} went away: ${err?.message ?? 'event stream ended'}`);
    this.setState('reconnecting', {
      code: 'CONNECTION_FAILED',
      message: `Lost the Docker engine at ${this.where}${err ? `: ${err.message}` : ''}; reconnecting`,
    });
    this.reconnectAttempt = 0;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closing || this.reconnectTimer) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(this.reconnectAttempt, RECONNECT_DELAYS_MS.length - 1)];
    this.reconnectAttempt++;
    this.reconnectTimer = setTimeout(async () => {
      this.reconnectTimer = null;
      if (this.closing) return;
      try {
        await this.openSession();
        if (this.closing) {
          this.teardown();
          return;
        }
        this.config.log?.('info', `Docker engine at ${this.where} is back`);
        this.setState('connected');
      } catch (e) {
        this.config.log?.('debug', `Reconnecting to ${this.where}: ${(e as Error).message}`);
        this.scheduleReconnect();
      }
    }, delay);
  }

  private teardown(): void {
    (this.docker?.modem as { agent?: { destroy?: () => void } } | undefined)?.agent?.destroy?.();
    this.watch?.stop();
    this.watch = null;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
  }

  // ---- live updates --------------------------------------------------------------

  private scheduleFlush(): void {
    if (this.flushTimer || this.closing) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flush();
    }, FLUSH_DELAY_MS);
  }

  /** Re-read what the events named and emit one delta. One flush at a time, in order. */
  private async flush(): Promise<void> {
    if (this.flushing) {
      await this.flushing.catch(() => undefined);
      return this.flush();
    }
    const run = this.flushOnce();
    this.flushing = run;
    try {
      await run;
    } finally {
      this.flushing = null;
    }
  }

  private async flushOnce(): Promise<void> {
    const docker = this.docker;
    const state = this.state;
    if (!docker || !state || !this.watch) return; // a resync after reconnect reads everything anyway
    const destroyed = [...this.destroyedContainers];
    const ids = [...this.pendingContainers].filter((id) => !this.destroyedContainers.has(id));
    const snapshots = this.pendingSnapshots;
    this.destroyedContainers.clear();
    this.pendingContainers.clear();
    this.pendingSnapshots = false;
    try {
      for (const id of destroyed) state.containers.delete(id);
      await forEachLimited(ids, INSPECT_CONCURRENCY, async (id) => {
        const c = await inspectOrNull(docker, id);
        if (!c) state.containers.delete(id);
        else if (!isHelper(c)) state.containers.set(c.Id, c);
      });
      if (snapshots) state.snapshots = snapshotMap(await listSnapshotImages(docker));
    } catch (e) {
      // The engine is going away: the event stream's end triggers the reconnect and resync.
      this.config.log?.('debug', `Docker refresh failed: ${(e as Error).message}`);
      return;
    }
    if (this.state !== state) return;
    const { upsert, remove } = this.differ.diff(this.builder.build(state));
    if (upsert.length || remove.length) this.emit({ serverId: this.config.serverId, upsert, remove });
  }

  /** After an action: make its effect visible before the task completes. */
  private async refreshNow(containers: string[], destroyed: string[], snapshots: boolean): Promise<void> {
    for (const id of containers) this.pendingContainers.add(id);
    for (const id of destroyed) this.destroyedContainers.add(id);
    if (snapshots) this.pendingSnapshots = true;
    await this.flush();
  }

  // ---- actions ---------------------------------------------------------------------

  private async containerAction(
    docker: Dockerode,
    id: string,
    action: ActionName,
    params: ActionParams,
    task: TaskReporter,
  ): Promise<ActionResult> {
    const container = docker.getContainer(id);
    switch (action) {
      case 'start':
        await container.start().catch(alreadyThere);
        break;
      case 'shutdown':
        await container.stop().catch(alreadyThere);
        break;
      case 'force_shutdown':
        await container.kill();
        break;
      case 'reboot':
        await container.restart();
        break;
      case 'force_reboot':
        await container.restart({ t: 0 });
        break;
      case 'pause':
        await container.pause();
        break;
      case 'unpause':
        await container.unpause();
        break;
      case 'destroy':
        await container.remove({ v: false });
        await this.refreshNow([], [id], false);
        task.progress(1);
        return {};
      case 'snapshot_create': {
        if (params.memory) await checkpointContainer(docker, id);
        const imageId = await takeSnapshot(docker, id, params, this.lineageOf(id), task);
        await this.refreshNow([id], [], true);
        return { resultId: nodeId(this.config.serverId, 'snapshot', imageId) };
      }
      default:
        throw unsupported(`${action} is not available for a Docker container`);
    }
    await this.refreshNow([id], [], false);
    task.progress(1);
    return {};
  }

  private async snapshotAction(
    docker: Dockerode,
    imageId: string,
    action: ActionName,
    params: ActionParams,
    task: TaskReporter,
  ): Promise<ActionResult> {
    switch (action) {
      case 'snapshot_revert': {
        const before = this.state?.snapshots.get(imageId);
        const old = before ? this.containerNamed(before.containerName) : undefined;
        const result = await restoreSnapshot(docker, imageId, task);
        await this.refreshNow([result.containerId], old ? [old.Id] : [], true);
        return { resultId: nodeId(this.config.serverId, 'container', result.containerId) };
      }
      case 'snapshot_delete': {
        const victims = params.withChildren ? this.descendantsOf(imageId) : [];
        for (const [i, child] of victims.entries()) {
          await deleteSnapshot(docker, child);
          task.progress((i + 1) / (victims.length + 1));
        }
        await deleteSnapshot(docker, imageId);
        await this.refreshNow([], [], true);
        task.progress(1);
        return {};
      }
      default:
        throw unsupported(`${action} is not available for a Docker snapshot`);
    }
  }

  private lineageOf(containerId: string): { parent: string | null; ancestors: string[] } {
    const state = this.state;
    const c = state?.containers.get(containerId);
    if (!state || !c) return { parent: null, ancestors: [] };
    const parent = currentSnapshotImage(c, [...state.snapshots.values()]);
    return { parent, ancestors: parent ? (state.snapshots.get(parent)?.ancestors ?? []) : [] };
  }

  /** Snapshots below this one, deepest first. */
  private descendantsOf(imageId: string): string[] {
    const all = [...(this.state?.snapshots.values() ?? [])];
    return all
      .filter((s) => s.imageId !== imageId && (s.parentImageId === imageId || s.ancestors.includes(imageId)))
      .sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''))
      .map((s) => s.imageId);
  }

  private containerNamed(name: string): ContainerInspectInfo | undefined {
    for (const c of this.state?.containers.values() ?? []) if (containerName(c) === name) return c;
    return undefined;
  }

  // ---- helpers --------------------------------------------------------------------

  private requireDocker(): Dockerode {
    if (!this.docker || !this.state || this.connection === 'disconnected') {
      throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `Not connected to the Docker engine at ${this.where}` });
    }
    return this.docker;
  }

  private async classify(e: unknown, what: string): Promise<PolyvisorError> {
    if (e instanceof PolyvisorError) return e;
    if (this.endpoint.kind === 'tls') {
      const certError = await certificateErrorFor(e, this.endpoint.host, this.endpoint.port, this.endpoint.trust).catch(() => null);
      if (certError) return certError;
    }
    if (this.endpoint.kind === 'ssh') {
      const hostKeyError = this.sshHostKeyError();
      if (hostKeyError) return hostKeyError;
    }
    return dockerError(e, what, this.where);
  }

  private sshHostKeyError(): PolyvisorError | null {
    const seen = this.hostKeySeen.fingerprint256;
    const pinned = this.config.tls.pinnedFingerprint;
    if (this.endpoint.kind !== 'ssh' || !seen || seen === pinned) return null;
    const certificate = {
      host: this.endpoint.host,
      port: this.endpoint.port,
      fingerprint256: seen,
      subject: `SSH host key of ${this.endpoint.host}`,
      issuer: '',
      validFrom: '',
      validTo: '',
      pem: '',
    };
    return pinned
      ? new PolyvisorError({
          code: 'CERT_CHANGED',
          message: `The SSH host key of ${this.endpoint.host} has changed since you trusted it.`,
          certificate,
          pinnedFingerprint: pinned,
        })
      : new PolyvisorError({
          code: 'CERT_UNTRUSTED',
          message: `The SSH host key of ${this.endpoint.host} is not known yet. Check its fingerprint before you trust it.`,
          certificate,
        });
  }

  private setState(state: ConnectionState, error?: ErrorInfo): void {
    this.connection = state;
    this.listeners.state(state, error);
  }

  private emit(delta: InventoryDelta): void {
    this.listeners.inventory(delta);
  }
}

function snapshotMap(images: Dockerode.ImageInfo[]): Map<string, SnapshotRecord> {
  const map = new Map<string, SnapshotRecord>();
  for (const img of images) {
    const rec = parseSnapshotImage(img);
    if (rec) map.set(rec.imageId, rec);
  }
  return map;
}

/** Short-lived containers the snapshot code creates to move volume files: never shown. */
function isHelper(c: ContainerInspectInfo): boolean {
  return !!c.Config.Labels?.[L.dataOf];
}

async function inspectOrNull(docker: Dockerode, id: string): Promise<ContainerInspectInfo | null> {
  try {
    return await docker.getContainer(id).inspect();
  } catch (e) {
    if (isHttpError(e, 404)) return null;
    throw e;
  }
}

async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(workers);
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** 304 Not Modified: the container is already started/stopped, which is what was asked. */
function alreadyThere(e: unknown): void {
  if (!isHttpError(e, 304)) throw e;
}

function unsupported(message: string): PolyvisorError {
  return new PolyvisorError({ code: 'UNSUPPORTED', message });
}

/** Split Docker's multiplexed log format (8-byte frame headers) into plain text. */
export function demuxBuffer(buf: Buffer): Buffer {
  const parts: Buffer[] = [];
  let off = 0;
  while (off + 8 <= buf.length) {
    const len = buf.readUInt32BE(off + 4);
    parts.push(buf.subarray(off + 8, off + 8 + len));
    off += 8 + len;
  }
  return Buffer.concat(parts);
}

