// A Docker engine as a Provider: the engine node, compose projects, containers and
// snapshot images, kept live by the shared connection loop (session.ts opens and
// follows one session; the loop reconnects with backoff when the engine goes away).

import type { Readable } from 'node:stream';
import type { ActionParams, ConsoleOptions, LogsOptions } from '../../../../shared/contract';
import { PolyvisorError, type ErrorInfo } from '../../../../shared/errors';
import { nodeId, type ActionName, type Capabilities, type ConnectionState, type PowerAction } from '../../../../shared/model';
import { limitsFor, type Limits } from '../common/limits';
import { LiveConnection } from '../common/live-connection';
import { NodeDiffer } from '../common/node-differ';
import { ProviderListeners } from '../common/provider-listeners';
import { bindFeed, type ProviderNotifications } from '../common/notification-feed';
import type { ActionResult, ConsoleStream, Provider, ProviderConfig, ProviderEvents, ProviderGuests, ProviderImages, ProviderMigration, ProviderStorage, TaskReporter } from '../provider';
import { containerAction, snapshotAction, unsupported } from './actions';
import { moveContainer, type EngineEnd } from './container-move';
import { describeEndpoint, resolveEndpoint, type DockerEndpoint } from './connection';
import { openExecConsole, shellsIn } from './console';
import { dockerOptions } from './descriptor';
import { classifyFailure } from './errors';
import { ENGINE_REF, InventoryBuilder, containerName } from './inventory';
import { containerLog, type LogOptions } from './logs';
import { DockerSession } from './session';
import { DockerNotifications } from './notifications';
import { dockerGuests } from './guests';
import { pruneImages, pruneVolumes, pull, removeImage, removeVolume, type EngineAccess } from './images';
import { volumeContents } from './volume-contents';
import { dockerNetworks } from './networks';
import type { ProviderNetworks } from '../provider-networks';
import { projectAction } from './project-actions';
import { engineClient, type EngineClient } from './transport';
import { DockerStatsSampler } from './stats-sampler';
import { DockerUsage } from './usage';

const POWER_ACTIONS: PowerAction[] = ['start', 'shutdown', 'force_shutdown', 'reboot', 'force_reboot', 'pause', 'unpause'];

export type { LogOptions };

export class DockerProvider implements Provider {
  readonly type = 'docker' as const;
  private readonly endpoint: DockerEndpoint;
  private readonly where: string;
  private readonly limits: Limits;
  private readonly differ: NodeDiffer;
  private readonly builder: InventoryBuilder;
  private readonly listeners = new ProviderListeners();
  private readonly live: LiveConnection;
  private client: EngineClient | null = null;
  private experimental = false;
  private connection: ConnectionState = 'disconnected';
  /** Docker keeps no history: the stats streams of the containers someone looks at (stats-sampler.ts) */
  readonly metrics: DockerStatsSampler;
  readonly usage: DockerUsage;

  constructor(private readonly config: ProviderConfig) {
    this.endpoint = resolveEndpoint(config);
    this.where = describeEndpoint(this.endpoint);
    this.limits = limitsFor(config.limits);
    this.differ = new NodeDiffer(config.serverId);
    this.builder = new InventoryBuilder(config.serverId);
    this.dockerNotifications = new DockerNotifications(config.serverId);
    this.notifications = bindFeed(this.dockerNotifications.feed);
    this.metrics = new DockerStatsSampler({ docker: () => this.requireSession().client.docker, where: this.where, maxLineBytes: this.limits.maxEventLineBytes, log: config.log });
    this.usage = new DockerUsage({ docker: () => this.requireSession().client.docker, where: this.where, log: config.log });
    const { reconnectMinMs, reconnectMaxMs } = dockerOptions.read(config.options);
    this.live = new LiveConnection({
      name: `Docker engine at ${this.where}`,
      log: config.log,
      backoff: { minMs: reconnectMinMs, maxMs: Math.max(reconnectMinMs, reconnectMaxMs) },
      open: (_signal, attempt) => this.openSession(attempt === 0),
      onState: (state, error) => this.setState(state, error),
    });
  }

  /**
   * An engine is one host: nothing moves within it (no targets, no evacuation). A container
   * moves to another engine, stopped (container-move.ts).
   */
  readonly migration: ProviderMigration = {
    plan: async (vmRefs) => vmRefs.map((vmRef) => ({ vmRef, targets: [] })),
    evacuationPlan: async () => {
      throw unsupported('A Docker engine is a single host: its containers have nowhere to go within it. Move each container to another engine instead.');
    },
    crossServer: {
      landing: async (hostRef) => {
        await this.requireEngine(hostRef).docker.ping();
        // containers are stopped to move; volumes are recreated by name, not placed on a storage of choice
        return { storages: [], offline: true };
      },
      send: (vmRef, destination, hostRef, _options, task) => this.sendContainer(vmRef, destination, hostRef, task),
    },
  };

  /** Making, changing and removing containers (guests.ts); removal is `destroy` through runAction. */
  readonly guests: ProviderGuests = dockerGuests((what, work) => this.guarded(what, work));

  private readonly dockerNotifications: DockerNotifications;
  /** Alerts (die, oom, unhealthy) and events from the engine's event stream (notifications.ts). */
  readonly notifications: ProviderNotifications;

  /** The engine's images and volumes (images.ts); removing one is `destroy` on its node. */
  readonly images: ProviderImages = {
    pull: (reference, task) => this.guarded(`Pulling ${reference}`, (engine) => pull(engine, reference, task)),
    pruneImages: (task) => this.guarded('Removing unused images', (engine) => pruneImages(engine, task)),
    pruneVolumes: (task) => this.guarded('Removing unused volumes', (engine) => pruneVolumes(engine, task)),
  };

  /** A named volume's mounts (volume-contents.ts); the engine has nothing to rescan. */
  readonly storage: ProviderStorage = {
    contents: (volume) => this.guarded(`Reading volume ${volume}`, (engine) => volumeContents(engine, volume)),
  };

  /** The engine's networks and a container's (networks.ts). */
  readonly networks: ProviderNetworks = dockerNetworks((what, work) => this.guarded(what, work));

  get capabilities(): Capabilities {
    return {
      snapshotKinds: this.experimental ? ['disk', 'volumes', 'memory'] : ['disk', 'volumes'],
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
    this.connection = 'connecting';
    this.client ??= engineClient(this.endpoint, this.config, this.limits, this.where);
    try {
      await this.live.connect();
      this.connection = 'connected';
    } catch (e) {
      this.connection = 'error';
      this.closeClient();
      throw e;
    }
  }

  async disconnect(): Promise<void> {
    // the loop's signal is aborted at once; closing the engine's sockets then ends an open
    // that waits on a silent engine now, not at its timeout
    this.metrics.close();
    const stopped = this.live.disconnect();
    this.closeClient();
    await stopped;
    this.setState('disconnected');
  }

  async runAction(target: { nativeRef: string; kind: string }, action: ActionName, params: ActionParams, task: TaskReporter): Promise<ActionResult> {
    const { client, session } = this.requireSession();
    task.setCancellable(null);
    if (action === 'migrate') {
      // the core sends moves to another engine to migration.crossServer; within one engine there is nowhere to go
      throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'targetId', message: `The container is already on the Docker engine at ${this.where}: choose another engine.` });
    }
    const ctx = { docker: client.docker, session, serverId: this.config.serverId, where: this.where, task };
    try {
      if (target.kind === 'container') return await containerAction(ctx, target.nativeRef, action, params);
      if (target.kind === 'snapshot') return await snapshotAction(ctx, target.nativeRef, action, params);
      if (target.kind === 'project') return await projectAction(ctx, target.nativeRef, action, params, (e, what) => this.classify(e, what));
      if (target.kind === 'image' && action === 'destroy') return await removeImage(ctx, target.nativeRef, task);
      if (target.kind === 'volume' && action === 'destroy') return await removeVolume(ctx, target.nativeRef);
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
    const { client, session } = this.requireSession();
    const known = session.view.containers.get(target.nativeRef);
    const name = known ? containerName(known) : target.nativeRef.slice(0, 12);
    try {
      return await openExecConsole(client.docker, target.nativeRef, name, options);
    } catch (e) {
      throw await this.classify(e, 'Opening a terminal');
    }
  }

  async consoleShells(target: { nativeRef: string; kind: string }): Promise<string[]> {
    if (target.kind !== 'container') throw unsupported(`A Docker ${target.kind} has no shell`);
    const { client } = this.requireSession();
    try {
      return await shellsIn(client.docker, target.nativeRef);
    } catch (e) {
      throw await this.classify(e, 'Looking for shells');
    }
  }

  /** The Provider interface's log stream: a container's log through getLogs. */
  async openLogs(target: { nativeRef: string; kind: string }, options: LogsOptions): Promise<Readable> {
    if (target.kind !== 'container') throw unsupported(`A Docker ${target.kind} has no log`);
    return this.getLogs(target.nativeRef, { tail: options.tail, follow: options.follow, timestamps: options.timestamps, markStderr: options.markStderr });
  }

  /** Container logs as text (stdout and stderr interleaved); with `follow` the stream stays open. */
  async getLogs(nativeRef: string, options: LogOptions = {}): Promise<Readable> {
    const { client } = this.requireSession();
    try {
      return await containerLog(client.docker, nativeRef, options, this.where);
    } catch (e) {
      throw await this.classify(e, 'Reading logs');
    }
  }

  /** This engine as one end of a container move (container-move.ts), for the Docker provider only. */
  moveEnd(): EngineEnd {
    const { client, session } = this.requireSession();
    return { docker: client.docker, where: this.where, serverId: this.config.serverId, session, log: this.config.log };
  }

  private async sendContainer(containerRef: string, destination: Provider, hostRef: string, task: TaskReporter): Promise<ActionResult> {
    if (!(destination instanceof DockerProvider)) {
      throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'targetId', message: 'A Docker container can only move to another Docker engine.' });
    }
    if (destination === this) {
      throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'targetId', message: `The container is already on the Docker engine at ${this.where}.` });
    }
    destination.requireEngine(hostRef);
    const there = destination.moveEnd();
    try {
      const id = await moveContainer(this.moveEnd(), there, containerRef, task);
      return { resultId: nodeId(there.serverId, 'container', id) };
    } catch (e) {
      throw await this.classify(e, `Moving the container to the Docker engine at ${there.where}`);
    }
  }

  /** The engine, when `hostRef` names it and it is connected. */
  private requireEngine(hostRef: string): EngineClient {
    if (hostRef !== ENGINE_REF) throw new PolyvisorError({ code: 'NOT_FOUND', message: `The Docker engine at ${this.where} has no host ${JSON.stringify(hostRef)}.` });
    return this.requireSession().client;
  }

  private async openSession(firstOpen: boolean): Promise<DockerSession> {
    const client = this.client;
    if (!client) throw new PolyvisorError({ code: 'CANCELLED', message: `The connection to the Docker engine at ${this.where} was closed.` });
    const session = await DockerSession.open(
      {
        docker: client.docker,
        endpoint: this.endpoint,
        where: this.where,
        limits: this.limits,
        differ: this.differ,
        builder: this.builder,
        publish: (delta) => this.listeners.inventory(delta),
        log: (level, message) => this.config.log?.(level, message),
        observeNotifications: (line) => this.dockerNotifications.observe(line),
      },
      firstOpen,
    );
    this.experimental = session.engine.experimental;
    this.backfillNotifications(client.docker, session.engine.systemTimeMs);
    return session;
  }

  /** The engine's recent events from before this connection, for the Notifications view; a failure only costs that history. */
  private backfillNotifications(docker: EngineClient['docker'], engineTimeMs: number | null): void {
    this.dockerNotifications.backfill(docker, Math.floor((engineTimeMs ?? Date.now()) / 1000), this.limits.maxEventLineBytes, this.where).catch((err: unknown) => {
      this.config.log?.('warn', `Docker engine at ${this.where}: its earlier events could not be read for the notifications (${err instanceof Error ? err.message : String(err)})`);
    });
  }

  private engineAccess(): EngineAccess {
    const { client, session } = this.requireSession();
    return { docker: client.docker, session, serverId: this.config.serverId, where: this.where };
  }

  private async guarded<T>(what: string, work: (engine: EngineAccess) => Promise<T>): Promise<T> {
    const engine = this.engineAccess();
    try {
      return await work(engine);
    } catch (e) {
      throw await this.classify(e, what);
    }
  }

  private requireSession(): { client: EngineClient; session: DockerSession } {
    const session = this.live.session as DockerSession | null;
    if (!this.client || !session) {
      throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `Not connected to the Docker engine at ${this.where}` });
    }
    return { client: this.client, session };
  }

  private classify(e: unknown, what: string): Promise<PolyvisorError> {
    return classifyFailure(e, what, this.endpoint, this.where);
  }

  private closeClient(): void {
    this.client?.close();
    this.client = null;
  }

  private setState(state: ConnectionState, error?: ErrorInfo): void {
    // the loop has given up (wrong key, answer too large …): nothing more goes to the engine
    if (state === 'error') this.closeClient();
    this.connection = state;
    this.listeners.state(state, error);
  }
}
