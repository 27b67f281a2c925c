// One live session with a PVE cluster: log in, load everything and publish it,
// then poll /cluster/resources every pollIntervalMs and publish only what changed.
// Snapshot lists are read for every guest at load, after the first publication
// (initialSnapshotWaitMs, 0 by default, is how long it may wait for them; never on
// a large cluster) and a few at a time across all clusters (background-reads.ts):
// the tree is complete without them, as PVE's own UI shows it. They are read again for a guest
// whose entry is new or changed, after our own snapshot tasks, and a few per poll
// in rotation to catch changes made elsewhere. Node maintenance is read with each
// poll: the HA status, and one node's notes in rotation (all at load).
//
// No lost updates: PVE has no event stream, each poll reads the whole state, so a
// change made while the first load runs is in the next poll's answer. Snapshot
// lists are the exception (one request per guest): the cluster's task list, read
// before the load, is the point from which every later snapshot task is noticed
// (snapshot-tasks.ts); the rotation catches what no task shows.

import type { InventoryDelta } from '../../../../shared/model';
import { PolyvisorError, toErrorInfo } from '../../../../shared/errors';
import { sleep } from '../../util/timing';
import { SerialQueue } from '../../util/serial-queue';
import { forEachLimited } from '../common/concurrency';
import type { LiveSession } from '../common/live-connection';
import type { NodeDiffer } from '../common/node-differ';
import type { ProviderConfig } from '../provider';
import { readClusterStatus, readClusterTasks, readResources, readSnapshotList, readVersion } from './answers';
import type { PveClient } from './client';
import type { ClusterCache, GuestResource } from './cluster-cache';
import type { PveSnapshotEntry } from './model-map';
import { SnapshotTaskWatch } from './snapshot-tasks';
import { backgroundSnapshotReads, type SharedSlots } from './background-reads';
import { MaintenanceWatch } from './maintenance-mark';
import { NetworkWatch } from './network-watch';
import { readPveTasks, type PveTaskEntry } from './notifications';
import { CLUSTER_LOG_MAX, readClusterLog, type PveLogEntry } from './cluster-log';

/**
 * Up to this many guests the first publication waits for their snapshot lists. A larger
 * cluster's lists cannot come within the wait (16 nodes / 5,000 guests: ~170 of them in
 * 1.5 s, proxmox.bench.ts), so waiting only delayed its tree: it is shown at once and the
 * lists follow in the progress deltas.
 */
const WAIT_FOR_LISTS_UP_TO = 256;

export interface PveSessionTuning {
  pollIntervalMs: number;
  snapshotConcurrency: number;
  snapshotSweepPerPoll: number;
  initialSnapshotWaitMs: number;
  /** false: no background fill; a list is read when asked (readListNow), for a changed guest and by the rotation */
  snapshotListsAfterConnect: boolean;
}

export interface PveSessionDeps {
  client: PveClient;
  cache: ClusterCache;
  differ: NodeDiffer;
  tuning: PveSessionTuning;
  publish(delta: InventoryDelta): void;
  log?: ProviderConfig['log'];
  /** the cluster's task list at each poll, for the Notifications view */
  observeNotifications?(tasks: PveTaskEntry[]): void;
  /** the cluster log's newest entries at each poll, for the Notifications view */
  observeClusterLog?(entries: PveLogEntry[]): void;
}

/** How often a large cluster's tree fills in while its snapshot lists load after the first publication. */
const LOAD_PROGRESS_MS = 500;

export class PveSession implements LiveSession {
  private readonly stop = new AbortController();
  private readonly signal: AbortSignal;
  private readonly polls = new SerialQueue();
  private readonly snapshotTasks = new SnapshotTaskWatch();
  private readonly maintenance: MaintenanceWatch;
  private readonly networks: NetworkWatch;
  /** the background load of all snapshot lists failed: the next poll tick ends the session with it */
  private loadFailure: unknown = null;
  private progress: NodeJS.Timeout | null = null;
  /** guests whose snapshot list this session has read (the load's background fill skips them) */
  private readonly listsRead = new Set<string>();
  /** lists read now because a user looks at them, by guest ref: a second ask waits for the same request */
  private readonly listsAsked = new Map<string, Promise<void>>();

  private constructor(
    private readonly deps: PveSessionDeps,
    signal: AbortSignal,
  ) {
    this.signal = AbortSignal.any([signal, this.stop.signal]);
    this.maintenance = new MaintenanceWatch(deps.client, deps.cache, deps.log);
    this.networks = new NetworkWatch(deps.client, deps.cache, deps.log);
  }

  /** Logs in and publishes the whole cluster: a reset the first time, only the differences after a drop. */
  static async open(deps: PveSessionDeps, signal: AbortSignal, first: boolean): Promise<PveSession> {
    const session = new PveSession(deps, signal);
    try {
      await deps.client.login(session.signal);
      await session.loadAll(first);
    } catch (err) {
      await session.close();
      throw err;
    }
    return session;
  }

  async follow(signal: AbortSignal): Promise<void> {
    const until = AbortSignal.any([signal, this.signal]);
    for (;;) {
      await sleep(this.deps.tuning.pollIntervalMs, until);
      if (until.aborted) return;
      if (this.loadFailure) throw this.loadFailure;
      await this.refresh([]);
    }
  }

  /** Reads a node's notes now (after a maintenance change), then polls. */
  async refreshNode(node: string): Promise<void> {
    await this.polls.run(() => this.maintenance.readNotes(node, this.signal));
    await this.refresh([]);
  }

  /** Reads a node's interfaces (or, with null, the SDN) now, after Polyvisor changed them, then polls. */
  async refreshNetwork(node: string | null): Promise<void> {
    await this.polls.run(() => (node ? this.networks.readNode(node, this.signal) : this.networks.readSdn(this.signal)));
    await this.refresh([]);
  }

  /** Polls now (after the polls already queued) and publishes the changes; `snapshotsOf` guests get their lists read. */
  refresh(snapshotsOf: string[]): Promise<void> {
    return this.polls.run(() => this.poll(snapshotsOf));
  }

  /**
   * Reads one guest's snapshot list now (its Snapshots tab opened): neither through the slots the
   * background fill shares nor behind the polls, and publishes it; at once if it is read already.
   * A failure is the caller's to show, unlike the fill's.
   */
  readListNow(ref: string): Promise<void> {
    if (this.deps.cache.hasSnapshotList(ref)) return Promise.resolve();
    let asked = this.listsAsked.get(ref);
    if (!asked) {
      asked = this.readOneList(ref).finally(() => this.listsAsked.delete(ref));
      this.listsAsked.set(ref, asked);
    }
    return asked;
  }

  async close(): Promise<void> {
    this.stop.abort();
    this.stopProgress();
  }

  private async loadAll(first: boolean): Promise<void> {
    const { client, cache, differ, tuning } = this.deps;
    // two rounds of requests at once, not ~40 one after another (16 nodes: each node's notes and interfaces);
    // the task list is read before any snapshot list: the point later tasks are compared with
    const [version, , status, resources] = await Promise.all([
      client.get('/version', readVersion, undefined, this.signal),
      this.readSnapshotTasks(),
      client.get('/cluster/status', readClusterStatus, undefined, this.signal),
      client.get('/cluster/resources', readResources, undefined, this.signal),
    ]);
    cache.setVersion(version.version);
    cache.applyClusterStatus(status);
    cache.applyResources(resources);
    await Promise.all([this.maintenance.read(this.signal, true), this.networks.read(this.signal, true)]);
    const guests = tuning.snapshotListsAfterConnect ? cache.guestRefs() : [];
    let done = false;
    const loading = this.fetchSnapshots(guests, backgroundSnapshotReads).then(
      () => (done = true),
      (err: unknown) => {
        done = true;
        this.loadFailure = err;
      },
    );
    await Promise.race([loading, sleep(guests.length <= WAIT_FOR_LISTS_UP_TO ? tuning.initialSnapshotWaitMs : 0, this.signal)]);
    if (this.loadFailure) throw this.loadFailure;
    if (this.signal.aborted) throw new PolyvisorError({ code: 'CANCELLED', message: 'The connection was closed while connecting.' });
    const all = cache.nodesByOwner();
    const delta = first ? differ.reset(all) : differ.diffAll(all);
    if (delta) this.deps.publish(delta);
    if (done) return;
    this.progress = setInterval(() => this.publishChanges(), LOAD_PROGRESS_MS);
    void loading.then(() => {
      this.stopProgress();
      this.publishChanges();
    });
  }

  private async poll(snapshotsOf: string[]): Promise<void> {
    if (this.signal.aborted) return;
    const { client, cache, tuning } = this.deps;
    const tasked = await this.readSnapshotTasks();
    await this.readClusterLog();
    await this.readClusterStatus();
    const stale = cache.applyResources(await client.get('/cluster/resources', readResources, undefined, this.signal));
    await this.maintenance.read(this.signal, false);
    await this.networks.read(this.signal, false);
    const refresh = new Set([...stale, ...snapshotsOf, ...tasked, ...cache.nextSweep(tuning.snapshotSweepPerPoll)]);
    await this.fetchSnapshots([...refresh]);
    this.publishChanges();
  }

  private async readClusterStatus(): Promise<void> {
    this.deps.cache.applyClusterStatus(await this.deps.client.get('/cluster/status', readClusterStatus, undefined, this.signal));
  }

  /** The guests whose snapshot tasks started or ended since the last look. */
  private async readSnapshotTasks(): Promise<string[]> {
    try {
      const tasks = await this.deps.client.get('/cluster/tasks', (data, where) => ({ ofSnapshots: readClusterTasks(data, where), forNotifications: readPveTasks(data) }), undefined, this.signal);
      this.deps.observeNotifications?.(tasks.forNotifications);
      return this.snapshotTasks.update(tasks.ofSnapshots);
    } catch (err) {
      const info = toErrorInfo(err);
      if (info.code !== 'SERVER_ERROR' && info.code !== 'INVALID_INPUT') throw err;
      // a server that will not list its tasks: the rotation still finds snapshot changes, only later
      this.log('debug', `task list not read: ${info.message}`);
      return [];
    }
  }

  /** The cluster log for the Notifications view; a server that will not show it (no Sys.Syslog: only the user's own lines) is not an error. */
  private async readClusterLog(): Promise<void> {
    if (!this.deps.observeClusterLog) return;
    try {
      this.deps.observeClusterLog(await this.deps.client.get('/cluster/log', readClusterLog, { max: CLUSTER_LOG_MAX }, this.signal));
    } catch (err) {
      const info = toErrorInfo(err);
      if (info.code !== 'SERVER_ERROR' && info.code !== 'INVALID_INPUT') throw err;
      this.log('debug', `cluster log not read: ${info.message}`);
    }
  }

  /**
   * Reads these guests' snapshot lists; a guest the server cannot answer for (offline node, just removed) keeps what we knew.
   * With `slots` (the load's background fill) each read waits for one of the slots shared by every cluster, and a guest
   * whose list this session has read meanwhile (a poll's) is skipped.
   */
  private async fetchSnapshots(refs: string[], slots?: SharedSlots): Promise<void> {
    const { cache, tuning } = this.deps;
    let failed = false;
    const read = async (ref: string) => {
      const g = cache.guest(ref);
      if (!g || failed || this.signal.aborted || (slots && this.listsRead.has(ref))) return;
      try {
        cache.setSnapshots(ref, await this.getSnapshotList(g));
        this.listsRead.add(ref);
      } catch (err) {
        const info = toErrorInfo(err);
        if (info.code === 'SERVER_ERROR' || info.code === 'INVALID_INPUT' || info.code === 'NOT_FOUND') {
          this.log(info.serverCode === 'BAD_ANSWER' ? 'warn' : 'debug', `snapshots of ${ref} not read: ${info.message}`);
          return;
        }
        failed = true;
        throw err;
      }
    };
    await forEachLimited(refs, tuning.snapshotConcurrency, (ref) => (slots ? slots.run(() => read(ref)) : read(ref)));
  }

  private async readOneList(ref: string): Promise<void> {
    const g = this.deps.cache.guest(ref);
    if (!g) throw new PolyvisorError({ code: 'NOT_FOUND', message: `Guest ${ref} is no longer in the cluster.` });
    this.deps.cache.setSnapshots(ref, await this.getSnapshotList(g));
    this.listsRead.add(ref);
    this.publishChanges();
  }

  private getSnapshotList(g: GuestResource): Promise<PveSnapshotEntry[]> {
    return this.deps.client.get(`/nodes/${encodeURIComponent(g.node)}/${g.type}/${g.vmid}/snapshot`, readSnapshotList, undefined, this.signal);
  }

  private publishChanges(): void {
    if (this.signal.aborted) return;
    const delta = this.deps.differ.diff(this.deps.cache.changedNodes());
    if (delta) this.deps.publish(delta);
  }

  private stopProgress(): void {
    if (this.progress) clearInterval(this.progress);
    this.progress = null;
  }

  private log(level: 'debug' | 'warn', message: string): void {
    this.deps.log?.(level, `${this.deps.client.name}: ${message}`);
  }
}
