// The Proxmox VE provider: logs in, loads the cluster (resources + snapshot
// lists), then polls /cluster/resources and sends only what changed. Snapshot
// lists are re-read for a guest when its resource entry changes, after our own
// snapshot tasks, and a few per poll in rotation to catch changes made elsewhere.

import type { ActionParams } from '../../../../shared/contract';
import { PolyvisorError, toErrorInfo, type ErrorInfo } from '../../../../shared/errors';
import {
  POWER_ACTIONS,
  type ActionName,
  type Capabilities,
  type ConnectionState,
  type InventoryDelta,
  type InventoryNode,
} from '../../../../shared/model';
import type { ActionResult, ConsoleStream, Provider, ProviderConfig, ProviderEvents, TaskReporter } from '../provider';
import { ProviderListeners } from '../common/provider-listeners';
import { openPveConsole } from './console';
import { actionCall, followTask } from './actions';
import { PveClient } from './client';
import {
  clusterNode,
  currentSnapshotOf,
  guestNode,
  guestRef,
  hostNode,
  isGuest,
  parseGuestRef,
  snapshotId,
  snapshotNodes,
  type ClusterInfo,
  type PveResource,
  type PveSnapshotEntry,
} from './model-map';

interface ClusterStatusEntry {
  type: 'cluster' | 'node';
  name: string;
  ip?: string;
  quorate?: number;
}

type GuestResource = PveResource & { type: 'qemu' | 'lxc'; vmid: number | string; node: string };

// Fields that change on every poll: kept in the props, ignored when deciding what changed.
const VOLATILE_PROPS = new Set(['uptime']);

export class ProxmoxProvider implements Provider {
  readonly type = 'proxmox' as const;
  readonly capabilities: Capabilities = {
    snapshotKinds: ['disk', 'memory'],
    consoles: ['rfb', 'text'],
    powerActions: [...POWER_ACTIONS],
  };

  private readonly client: PveClient;
  private readonly serverId: string;
  private readonly pollIntervalMs: number;
  private readonly taskPollMs: number;
  private readonly snapshotConcurrency: number;
  private readonly sweepPerPoll: number;
  private readonly reconnectBaseMs: number;
  private readonly listeners = new ProviderListeners();

  private cluster: ClusterInfo = { name: '', standalone: true };
  private version: string | undefined;
  private readonly nodeIps = new Map<string, string>();
  private hosts: PveResource[] = [];
  /** by guest ref (qemu/100) */
  private readonly guests = new Map<string, GuestResource>();
  private readonly guestSignatures = new Map<string, string>();
  private readonly snapshots = new Map<string, PveSnapshotEntry[]>();
  private readonly bootTimes = new Map<string, number>();
  /** what the core has: id → signature */
  private readonly emitted = new Map<string, string>();
  /** ids sent per guest ref (the guest node and its snapshots), to withdraw them later */
  private readonly emittedByGuest = new Map<string, Set<string>>();
  private infraIds = new Set<string>();
  /** guests to rebuild and compare at the next emit */
  private readonly dirty = new Set<string>();
  private readonly snapshotSignatures = new Map<string, string>();
  private sweepCursor = 0;
  private loadGeneration = 0;
  private readonly initialSnapshotWaitMs: number;

  private active = false;
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private failures = 0;

  constructor(private readonly config: ProviderConfig) {
    const o = config.options;
    this.serverId = config.serverId;
    this.pollIntervalMs = num(o.pollIntervalMs, 3000);
    this.taskPollMs = num(o.taskPollMs, 500);
    this.snapshotConcurrency = num(o.snapshotConcurrency, 16);
    this.sweepPerPoll = num(o.snapshotSweepPerPoll, 20);
    this.reconnectBaseMs = num(o.reconnectDelayMs, 1000);
    this.initialSnapshotWaitMs = num(o.initialSnapshotWaitMs, 1500);
    const tokenId = typeof o.tokenId === 'string' && o.tokenId ? o.tokenId : undefined;
    this.client = new PveClient({
      host: config.host,
      port: config.port,
      username: config.username || 'root',
      realm: typeof o.realm === 'string' && o.realm ? o.realm : 'pam',
      secret: config.password ?? '',
      tokenId,
      trust: config.tls,
      ticketLifetimeMs: o.ticketLifetimeMs === undefined ? undefined : num(o.ticketLifetimeMs, 7200_000),
    });
  }

  on<E extends keyof ProviderEvents>(event: E, listener: ProviderEvents[E]): () => void {
    return this.listeners.on(event, listener);
  }

  async connect(): Promise<void> {
    if (!this.config.password) {
      const what = this.config.options.tokenId ? 'API token secret' : 'password';
      throw new PolyvisorError({ code: 'PASSWORD_REQUIRED', message: `The ${what} for ${this.config.host} is needed.` });
    }
    this.active = true;
    try {
      await this.client.login();
      await this.run(() => this.loadAll());
    } catch (e) {
      this.active = false;
      throw e;
    }
    this.schedulePoll(this.pollIntervalMs);
  }

  async disconnect(): Promise<void> {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.chain.catch(() => undefined);
    this.client.close();
    this.emitted.clear();
    this.emittedByGuest.clear();
  }

  /** Graphical (vncproxy) or text (termproxy) console of a running guest. */
  async openConsole(target: { nativeRef: string; kind: string }, protocol: 'rfb' | 'text'): Promise<ConsoleStream> {
    const ref = parseGuestRef(target.nativeRef);
    if (!ref || ref.snapname || (target.kind !== 'vm' && target.kind !== 'container')) {
      throw new PolyvisorError({ code: 'UNSUPPORTED', message: `A Proxmox VE ${target.kind} has no console.` });
    }
    const guest = this.guests.get(guestRef(ref.type, ref.vmid));
    if (!guest) throw new PolyvisorError({ code: 'NOT_FOUND', message: `Guest ${ref.vmid} is no longer in the cluster.` });
    const name = guest.name ?? `${ref.type === 'qemu' ? 'VM' : 'CT'} ${ref.vmid}`;
    return openPveConsole(this.client, { type: ref.type, vmid: ref.vmid, node: guest.node, status: guest.status ?? '', name }, protocol);
  }

  async runAction(target: { nativeRef: string; kind: string }, action: ActionName, params: ActionParams, task: TaskReporter): Promise<ActionResult> {
    const ref = parseGuestRef(target.nativeRef);
    if (!ref) throw new PolyvisorError({ code: 'NOT_FOUND', message: `Not a Proxmox VE guest or snapshot: ${target.nativeRef}` });
    const gref = guestRef(ref.type, ref.vmid);
    const guest = this.guests.get(gref);
    if (!guest) throw new PolyvisorError({ code: 'NOT_FOUND', message: `Guest ${ref.vmid} is no longer in the cluster.` });
    const isSnapshotTarget = target.kind === 'snapshot';
    if (isSnapshotTarget !== (action === 'snapshot_revert' || action === 'snapshot_delete')) {
      throw new PolyvisorError({ code: 'INVALID_INPUT', message: `"${action}" does not apply to a ${target.kind}.` });
    }
    const call = actionCall({ type: ref.type, vmid: ref.vmid, node: guest.node, status: guest.status }, action, params, ref.snapname);
    const upid = call.method === 'DELETE' ? await this.client.delete<string>(call.path, call.params) : await this.client.post<string>(call.path, call.params);
    const touchesSnapshots = action.startsWith('snapshot_');
    try {
      await followTask(this.client, upid, task, this.taskPollMs, touchesSnapshots ? 4 : 2);
    } finally {
      // show the outcome (or the unchanged state after a failure) right away
      await this.run(() => this.poll(touchesSnapshots ? [gref] : [])).catch(() => undefined);
    }
    return call.snapname ? { resultId: snapshotId(this.serverId, gref, call.snapname) } : {};
  }

  // ---- loading and polling

  /** Serializes loads and polls. */
  private run(step: () => Promise<void>): Promise<void> {
    const next = this.chain.then(step);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * Reads everything and sends the reset delta. Snapshot lists (one request per guest) are
   * read in the background: the reset waits for them at most initialSnapshotWaitMs, so a
   * small cluster arrives complete and a large one shows its tree at once and fills in.
   */
  private async loadAll(): Promise<void> {
    const version = await this.client.get<{ version: string }>('/version');
    this.version = version.version;
    await this.readClusterStatus();
    const resources = await this.client.get<PveResource[]>('/cluster/resources');
    this.applyResources(resources);
    const generation = ++this.loadGeneration;
    let done = false;
    const loading = this.fetchSnapshots([...this.guests.keys()])
      .catch(() => undefined) // the poll loop notices a lost connection
      .finally(() => (done = true));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([loading, new Promise((resolve) => (timer = setTimeout(resolve, this.initialSnapshotWaitMs)))]);
    clearTimeout(timer);
    this.emit(true);
    if (done) return;
    const progress = setInterval(() => generation === this.loadGeneration && this.active && this.emit(false), 500);
    void loading.then(() => {
      clearInterval(progress);
      if (generation === this.loadGeneration && this.active) this.emit(false);
    });
  }

  private async poll(forceSnapshotsOf: string[]): Promise<void> {
    if (!this.active) return;
    await this.readClusterStatus();
    const resources = await this.client.get<PveResource[]>('/cluster/resources');
    const changed = this.applyResources(resources);
    const refresh = new Set([...changed, ...forceSnapshotsOf, ...this.nextSweep()]);
    await this.fetchSnapshots([...refresh].filter((r) => this.guests.has(r)));
    this.emit(false);
  }

  private async readClusterStatus(): Promise<void> {
    const status = await this.client.get<ClusterStatusEntry[]>('/cluster/status');
    const cluster = status.find((e) => e.type === 'cluster');
    const nodes = status.filter((e) => e.type === 'node');
    this.nodeIps.clear();
    for (const n of nodes) if (n.ip) this.nodeIps.set(n.name, n.ip);
    this.cluster = cluster
      ? { name: cluster.name, standalone: false, quorate: cluster.quorate === 1, version: this.version }
      : { name: nodes[0]?.name ?? this.config.host, standalone: true, version: this.version };
  }

  /** Takes a /cluster/resources answer; returns the guests whose entry changed (not new ones). */
  private applyResources(resources: PveResource[]): string[] {
    const changed: string[] = [];
    const seen = new Set<string>();
    this.hosts = resources.filter((r) => r.type === 'node');
    for (const r of resources) {
      if (!isGuest(r)) continue;
      const ref = guestRef(r.type, r.vmid);
      seen.add(ref);
      const sig = signatureOfResource(r as unknown as Record<string, unknown>);
      if (this.guestSignatures.get(ref) !== sig) {
        if (this.guestSignatures.has(ref)) changed.push(ref);
        this.guestSignatures.set(ref, sig);
        this.dirty.add(ref);
      }
      this.guests.set(ref, r);
      this.trackBootTime(ref, r);
    }
    for (const ref of [...this.guests.keys()]) {
      if (seen.has(ref)) continue;
      this.guests.delete(ref);
      this.guestSignatures.delete(ref);
      this.snapshots.delete(ref);
      this.snapshotSignatures.delete(ref);
      this.bootTimes.delete(ref);
      this.dirty.add(ref);
    }
    return changed;
  }

  private trackBootTime(ref: string, r: PveResource): void {
    if (r.status === 'stopped' || !r.uptime) {
      if (this.bootTimes.delete(ref)) this.dirty.add(ref);
      return;
    }
    const candidate = Math.round(Date.now() / 1000 - r.uptime);
    const previous = this.bootTimes.get(ref);
    // polling jitter moves now-uptime by a second or two; only a restart moves it further
    if (previous === undefined || Math.abs(previous - candidate) > 5) {
      this.bootTimes.set(ref, candidate);
      this.dirty.add(ref);
    }
  }

  private nextSweep(): string[] {
    const refs = [...this.guests.keys()];
    if (!refs.length || this.sweepPerPoll <= 0) return [];
    const out: string[] = [];
    for (let i = 0; i < Math.min(this.sweepPerPoll, refs.length); i++) out.push(refs[(this.sweepCursor + i) % refs.length]);
    this.sweepCursor = (this.sweepCursor + out.length) % refs.length;
    return out;
  }

  private async fetchSnapshots(refs: string[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < refs.length && this.active) {
        const ref = refs[next++];
        const g = this.guests.get(ref);
        if (!g) continue;
        try {
          const list = await this.client.get<PveSnapshotEntry[]>(`/nodes/${encodeURIComponent(g.node)}/${g.type}/${g.vmid}/snapshot`);
          const sig = JSON.stringify(list.map((e) => [e.name, e.parent, e.snaptime, e.vmstate, e.description]));
          if (!this.guests.has(ref) || this.snapshotSignatures.get(ref) === sig) continue;
          this.snapshots.set(ref, list);
          this.snapshotSignatures.set(ref, sig);
          this.dirty.add(ref);
        } catch (e) {
          // a guest on an offline node or removed meanwhile: keep what we knew
          if (e instanceof PolyvisorError && (e.code === 'AUTH_FAILED' || e.code === 'CONNECTION_FAILED' || e.code.startsWith('CERT_'))) throw e;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.snapshotConcurrency, refs.length) }, worker));
  }

  /**
   * Sends what changed since the last call (or everything, as a reset). Only guests marked
   * dirty are rebuilt and compared, so a poll of 5,000 unchanged guests costs almost nothing.
   */
  private emit(reset: boolean): void {
    const sid = this.serverId;
    const upsert: InventoryNode[] = [];
    const remove: string[] = [];
    if (reset) {
      this.emitted.clear();
      this.emittedByGuest.clear();
      this.infraIds.clear();
      for (const ref of this.guests.keys()) this.dirty.add(ref);
    }
    const offer = (n: InventoryNode) => {
      const sig = signatureOfNode(n);
      if (this.emitted.get(n.id) === sig) return;
      this.emitted.set(n.id, sig);
      upsert.push(n);
    };
    const withdraw = (id: string) => {
      if (this.emitted.delete(id)) remove.push(id);
    };

    const infra = [clusterNode(sid, this.cluster, this.hosts.length), ...this.hosts.map((h) => hostNode(sid, h, this.nodeIps.get(h.node ?? '')))];
    const infraIds = new Set(infra.map((n) => n.id));
    infra.forEach(offer);
    for (const id of this.infraIds) if (!infraIds.has(id)) withdraw(id);
    this.infraIds = infraIds;

    for (const ref of this.dirty) {
      const g = this.guests.get(ref);
      const ids = new Set<string>();
      if (g) {
        const list = this.snapshots.get(ref);
        const node = guestNode(sid, g, currentSnapshotOf(list), this.bootTimes.get(ref) ?? null);
        const nodes = [node, ...(list ? snapshotNodes(sid, node, list) : [])];
        for (const n of nodes) {
          ids.add(n.id);
          offer(n);
        }
      }
      for (const id of this.emittedByGuest.get(ref) ?? []) if (!ids.has(id)) withdraw(id);
      if (g) this.emittedByGuest.set(ref, ids);
      else this.emittedByGuest.delete(ref);
    }
    this.dirty.clear();

    if (!reset && !upsert.length && !remove.length) return;
    const delta: InventoryDelta = { serverId: sid, upsert, remove: reset ? [] : remove };
    if (reset) delta.reset = true;
    this.listeners.inventory(delta);
  }

  private schedulePoll(delay: number): void {
    if (!this.active) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick();
    }, delay);
  }

  private async tick(): Promise<void> {
    try {
      await this.run(() => (this.failures > 0 ? this.reload() : this.poll([])));
      if (this.failures > 0) {
        this.failures = 0;
        this.setState('connected');
      }
      this.schedulePoll(this.pollIntervalMs);
    } catch (e) {
      if (!this.active) return;
      const info = toErrorInfo(e);
      this.config.log?.('warn', `Proxmox VE ${this.config.host}:${this.config.port}: ${info.code} ${info.message}`);
      if (info.code === 'AUTH_FAILED' || info.code === 'CERT_CHANGED' || info.code === 'CERT_UNTRUSTED') {
        this.active = false;
        this.setState('error', info);
        return;
      }
      this.failures++;
      if (this.failures === 1) this.setState('reconnecting', info);
      this.schedulePoll(Math.min(30_000, this.reconnectBaseMs * 2 ** (this.failures - 1)));
    }
  }

  /** After a drop: log in again and resend everything. */
  private async reload(): Promise<void> {
    await this.client.login();
    await this.loadAll();
  }

  private setState(state: ConnectionState, error?: ErrorInfo): void {
    this.listeners.state(state, error);
  }
}

function num(v: unknown, fallback: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

const USAGE_FIELDS = new Set(['uptime', 'cpu', 'mem', 'netin', 'netout', 'diskread', 'diskwrite', 'disk', 'memhost']);

function signatureOfResource(r: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const k of Object.keys(r).sort()) if (!USAGE_FIELDS.has(k)) parts.push(`${k}=${JSON.stringify(r[k])}`);
  return parts.join('|');
}

function signatureOfNode(n: InventoryNode): string {
  const props: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(n.props)) if (!VOLATILE_PROPS.has(k)) props[k] = v;
  return JSON.stringify({ ...n, props });
}
