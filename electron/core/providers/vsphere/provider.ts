// A live connection to one ESXi host or vCenter: login, the whole inventory in
// one paged RetrievePropertiesEx (a `reset`), then a PropertyCollector filter
// followed with WaitForUpdatesEx long polls turned into deltas. A lost session
// is re-established transparently (new filter, full resync); a dropped
// connection goes 'reconnecting' and retries with capped, jittered backoff.

import { performance } from 'node:perf_hooks';
import type { ActionParams } from '../../../../shared/contract';
import { PolyvisorError, isPolyvisorError, toErrorInfo, type ErrorInfo } from '../../../../shared/errors';
import type { ActionName, Capabilities, ConnectionState, InventoryDelta } from '../../../../shared/model';
import type { ActionResult, ConsoleStream, Provider, ProviderConfig, ProviderEvents, TaskReporter } from '../provider';
import { ProviderListeners } from '../common/provider-listeners';
import { runVsphereAction } from './actions';
import { unsupportedConsole, vmrcLink } from './console';
import { isSessionFault } from './faults';
import { INVENTORY_PROPS, inventorySpec } from './inventory-spec';
import { InventoryModel } from './inventory-model';
import { NodeDiffer } from './node-differ';
import { cancelWaitForUpdates, createFilter, destroyFilter, retrieveOne, retrieveAll, waitForUpdates, type ObjectContent, type ObjectUpdate } from './property-collector';
import { VimClient } from './vim-client';
import type { ManagedObjectReference } from './xml';
import { jitter, sleep } from '../../util/timing';

export interface VsphereOptions {
  /** WaitForUpdatesEx maxWaitSeconds */
  maxWaitSeconds: number;
  /** RetrievePropertiesEx maxObjects per page */
  pageSize: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  callTimeoutMs: number;
  sdkPath: string;
}

export function readOptions(options: ProviderConfig['options']): VsphereOptions {
  const number = (key: string, fallback: number) => {
    const v = Number(options[key]);
    return Number.isFinite(v) && v > 0 ? v : fallback;
  };
  return {
    maxWaitSeconds: number('maxWaitSeconds', 30),
    pageSize: number('pageSize', 1000),
    reconnectMinMs: number('reconnectMinMs', 1_000),
    reconnectMaxMs: number('reconnectMaxMs', 30_000),
    callTimeoutMs: number('callTimeoutMs', 120_000),
    sdkPath: typeof options.sdkPath === 'string' && options.sdkPath.startsWith('/') ? options.sdkPath : '/sdk',
  };
}

const knownPaths = (type: string) => INVENTORY_PROPS[type === 'ClusterComputeResource' ? 'ComputeResource' : type];

/** Errors a retry cannot fix: the user has to act. */
function isFatal(err: unknown): boolean {
  return isPolyvisorError(err, 'AUTH_FAILED') || isPolyvisorError(err, 'CERT_CHANGED') || isPolyvisorError(err, 'CERT_UNTRUSTED');
}

export class VsphereProvider implements Provider {
  readonly type = 'vsphere' as const;
  readonly capabilities: Capabilities = {
    snapshotKinds: ['disk', 'memory', 'quiesce'],
    consoles: [],
    powerActions: ['start', 'shutdown', 'force_shutdown', 'reboot', 'force_reboot', 'suspend', 'resume'],
  };

  private readonly options: VsphereOptions;
  private readonly listeners = new ProviderListeners();
  private readonly differ: NodeDiffer;
  private client: VimClient | null = null;
  private model: InventoryModel | null = null;
  private stop: AbortController | null = null;
  private watching: Promise<void> | null = null;

  constructor(private readonly config: ProviderConfig) {
    this.options = readOptions(config.options);
    this.differ = new NodeDiffer(config.serverId);
  }

  on<E extends keyof ProviderEvents>(event: E, listener: ProviderEvents[E]): () => void {
    return this.listeners.on(event, listener);
  }

  async connect(): Promise<void> {
    if (this.stop) return;
    if (this.config.password === undefined) {
      throw new PolyvisorError({ code: 'PASSWORD_REQUIRED', message: `A password is needed to log in to ${this.config.host} as ${this.config.username}.` });
    }
    const stop = new AbortController();
    this.stop = stop;
    const client = new VimClient({
      host: this.config.host,
      port: this.config.port,
      username: this.config.username,
      password: this.config.password,
      tls: this.config.tls,
      path: this.options.sdkPath,
      timeoutMs: this.options.callTimeoutMs,
      log: this.config.log,
    });
    try {
      const content = await client.connect();
      const model = new InventoryModel(this.config.serverId, content.about.apiType === 'HostAgent');
      const spec = inventorySpec(content.rootFolder);
      model.replaceAll(await retrieveAll(client, spec, this.options.pageSize));
      if (stop.signal.aborted) throw new PolyvisorError({ code: 'CANCELLED', message: 'The connection was closed while connecting.' });
      this.client = client;
      this.model = model;
      this.emitInventory(this.differ.reset(model.nodesByOwner()));
      this.log('info', `connected to ${content.about.fullName} at ${this.config.host}:${this.config.port} (API ${client.version})`);
      this.watching = this.watch(client, model, stop.signal);
    } catch (err) {
      if (this.stop === stop) this.stop = null;
      await client.close().catch(() => undefined);
      throw err;
    }
  }

  async disconnect(): Promise<void> {
    const stop = this.stop;
    if (!stop) return;
    this.stop = null;
    stop.abort();
    const client = this.client;
    this.client = null;
    if (client) {
      await cancelWaitForUpdates(client).catch(() => undefined);
      await client.close();
    }
    await this.watching;
    this.watching = null;
  }

  async runAction(target: { nativeRef: string; kind: string }, action: ActionName, params: ActionParams, task: TaskReporter): Promise<ActionResult> {
    const client = this.requireClient();
    const model = this.model;
    return runVsphereAction(
      { serverId: this.config.serverId, client, powerStateOf: (vm) => model?.vmPowerState(vm) },
      target,
      action,
      params,
      task,
    );
  }

  openConsole(): Promise<ConsoleStream> {
    return unsupportedConsole();
  }

  /** A `vmrc://` link that opens the VM in VMware Remote Console (needs AcquireCloneTicket on the server). */
  consoleLink(nativeRef: string): Promise<string> {
    return vmrcLink(this.requireClient(), nativeRef);
  }

  private requireClient(): VimClient {
    if (!this.client) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: 'Not connected to the server; try again once it is back.' });
    return this.client;
  }

  /** Follows the inventory filter until disconnect or a fatal error. */
  private async watch(client: VimClient, model: InventoryModel, signal: AbortSignal): Promise<void> {
    const spec = inventorySpec(client.serviceContent.rootFolder);
    let filterGeneration = -1;
    let filter: ManagedObjectReference | null = null;
    let version = '';
    let resync: ObjectContent[] = [];
    let failing = false;
    let delay = this.options.reconnectMinMs;
    let poll: AbortController | null = null;
    const offRelogin = () => poll?.abort();
    client.on('relogin', offRelogin);
    const onStop = () => poll?.abort();
    signal.addEventListener('abort', onStop);
    try {
      while (!signal.aborted) {
        const generation = client.generation;
        try {
          if (filterGeneration !== generation) {
            // A filter lives as long as its session: a new login needs a new one and a full resync.
            // After a dropped stream the filter is replaced too, so nothing lost in between is missed.
            if (filter) await destroyFilter(client, filter).catch(() => undefined);
            filter = null;
            filter = await createFilter(client, spec);
            filterGeneration = generation;
            version = '';
            resync = [];
          }
          poll = new AbortController();
          const updates = await waitForUpdates(client, version, this.options.maxWaitSeconds, poll.signal);
          poll = null;
          if (failing) {
            failing = false;
            delay = this.options.reconnectMinMs;
            this.emitState('connected');
          }
          if (!updates) continue;
          if (version === '') {
            resync.push(...enteredObjects(updates.updates));
            if (!updates.truncated) {
              model.replaceAll(resync);
              resync = [];
              this.emitChanges(model);
              this.log('info', `inventory stream synchronized (${model.size} objects)`);
            }
          } else {
            const { touched, refetch } = model.applyUpdates(updates.updates, knownPaths);
            for (const ref of refetch) {
              const props = await retrieveOne(client, ref, [...(knownPaths(ref.type) ?? ['name'])]);
              if (props) model.setObject(ref, props);
            }
            this.emitChanges(model, touched);
          }
          version = updates.version;
        } catch (err) {
          poll = null;
          if (signal.aborted) return;
          if (client.generation !== generation) continue; // another call logged in again: start over on the new session
          if (isSessionFault(err)) {
            this.log('info', 'vSphere session ended: logging in again');
            try {
              await client.relogin(generation);
              continue;
            } catch (loginErr) {
              err = loginErr;
            }
          }
          if (isFatal(err)) {
            this.emitState('error', toErrorInfo(err));
            if (this.stop?.signal === signal) {
              this.stop = null;
              this.client = null;
              await client.close().catch(() => undefined);
            }
            return;
          }
          filterGeneration = -1; // resync from scratch once the server answers again
          if (!failing) {
            failing = true;
            this.emitState('reconnecting', toErrorInfo(err));
          }
          this.log('debug', `update stream interrupted: ${toErrorInfo(err).message}`);
          await sleep(jitter(delay), signal);
          delay = Math.min(delay * 2, this.options.reconnectMaxMs);
        }
      }
    } finally {
      client.off('relogin', offRelogin);
      signal.removeEventListener('abort', onStop);
    }
  }

  /** Emits what changed; with `touched` VMs only, maps just those again. */
  private emitChanges(model: InventoryModel, touched?: Set<string>): void {
    const started = performance.now();
    const delta =
      touched && InventoryModel.onlyVms(touched) ? this.differ.diff(model.nodesOfOwners(touched)) : this.differ.diffAll(model.nodesByOwner());
    if (delta) this.emitInventory(delta);
    this.log('debug', `mapped ${touched ? touched.size : model.size} changed objects in ${(performance.now() - started).toFixed(1)} ms`);
  }

  private emitInventory(delta: InventoryDelta): void {
    this.listeners.inventory(delta);
  }

  private emitState(state: ConnectionState, error?: ErrorInfo): void {
    this.listeners.state(state, error);
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    this.config.log?.(level, message);
  }
}

/** The objects of an initial (version "") update set, each with all its requested properties. */
function enteredObjects(updates: ObjectUpdate[]): ObjectContent[] {
  return updates
    .filter((u) => u.kind !== 'leave')
    .map((u) => ({ obj: u.obj, props: new Map(u.changes.filter((c) => c.val !== undefined).map((c) => [c.name, c.val!])) }));
}

