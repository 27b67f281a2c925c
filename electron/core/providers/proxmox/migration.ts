// The Proxmox VE migration facet and the `migrate` action: plans from PVE's
// precondition answers, a guest moved with POST …/migrate (online for a running
// VM, with its local disks when forced; restart mode for a running container)
// followed as a worker task until the guest is on the target.

import { PolyvisorError, toErrorInfo } from '../../../../shared/errors';
import type { ActionResult, ProviderActionParams, ProviderConfig, ProviderMigration, ProviderMigrationTarget, TaskReporter } from '../provider';
import { followTask, guestPath } from './actions';
import { readUpid, upidNode } from './answers';
import type { PveClient, PveParams } from './client';
import type { ClusterCache, GuestResource } from './cluster-cache';
import { readMigratePrecondition, readTaskLogLines } from './migration-answers';
import { placeGuests, targetsFor } from './migration-plan';
import { guestKind, guestRef, parseGuestRef } from './model-map';

export interface MigrationDeps {
  client: PveClient;
  cache: () => ClusterCache;
  taskPollMs: number;
  log?: ProviderConfig['log'];
}

/** A qmigrate task's log has about this many lines; progress is estimated from them. */
const MIGRATE_LOG_LINES = 12;

export function requireGuest(cache: ClusterCache, vmRef: string): GuestResource {
  const ref = parseGuestRef(vmRef);
  const guest = ref && !ref.snapname ? cache.guest(guestRef(ref.type, ref.vmid)) : undefined;
  if (!guest) throw new PolyvisorError({ code: 'NOT_FOUND', message: `Guest ${vmRef} is no longer in the cluster.` });
  return guest;
}

const pathOf = (g: GuestResource) => guestPath({ node: g.node, type: g.type, vmid: Number(g.vmid) });

export class ProxmoxMigration implements ProviderMigration {
  constructor(private readonly deps: MigrationDeps) {}

  async plan(vmRefs: string[]): Promise<Array<{ vmRef: string; targets: ProviderMigrationTarget[] }>> {
    return Promise.all(vmRefs.map(async (vmRef) => ({ vmRef, targets: await this.targetsOf(requireGuest(this.deps.cache(), vmRef)) })));
  }

  /** Every guest of the node but templates (they stay with their config); `force` counts local disks as movable (copied along). */
  async evacuationPlan(hostRef: string, force = false): Promise<Array<{ vmRef: string; hostRef?: string; reason?: PolyvisorError['info'] }>> {
    const cache = this.deps.cache();
    const guests = cache
      .guestsOn(hostRef)
      .filter((g) => guestKind(g) !== 'template')
      .sort((a, b) => Number(a.vmid) - Number(b.vmid));
    const planned = await Promise.all(guests.map(async (guest) => ({ guest, targets: await this.targetsOf(guest, force) })));
    return placeGuests(planned, cache.hostFacts());
  }

  async targetsOf(guest: GuestResource, force = false): Promise<ProviderMigrationTarget[]> {
    const pre = await this.deps.client.get(`${pathOf(guest)}/migrate`, readMigratePrecondition);
    return targetsFor(guest, force ? { ...pre, localDisks: [] } : pre, this.deps.cache().hostFacts());
  }

  /** POST …/migrate to `target` and follow the worker until it stops. */
  async migrate(guest: GuestResource, target: string, params: Pick<ProviderActionParams, 'force'>, task: TaskReporter): Promise<ActionResult> {
    if (target === guest.node) throw new PolyvisorError({ code: 'INVALID_INPUT', message: `${guest.name ?? guest.vmid} is already on ${target}.`, field: 'targetId' });
    const running = guest.status === 'running' || guest.status === 'paused';
    const body: PveParams = { target };
    if (guest.type === 'qemu') {
      if (running) body.online = true;
      // Polyvisor's force: copy the local disks along (PVE's own `force` is for local devices, root only)
      if (params.force) body['with-local-disks'] = true;
    } else if (running) {
      // containers cannot move live: PVE stops, moves and starts them
      body.restart = true;
    }
    const upid = await this.deps.client.post(`${pathOf(guest)}/migrate`, readUpid, body);
    try {
      await followTask(this.deps.client, upid, task, this.deps.taskPollMs, MIGRATE_LOG_LINES, this.deps.log);
    } catch (err) {
      throw await this.withLogDetail(err, upid);
    }
    return {};
  }

  /** PVE's exit status says only "migration aborted": the why is on the log's ERROR lines. */
  private async withLogDetail(err: unknown, upid: string): Promise<unknown> {
    const info = toErrorInfo(err);
    if (info.code !== 'SERVER_ERROR' || info.serverCode !== 'TASK ERROR') return err;
    try {
      const log = await this.deps.client.get(`/nodes/${encodeURIComponent(upidNode(upid))}/tasks/${encodeURIComponent(upid)}/log`, readTaskLogLines, { limit: 1000 });
      const errors = log.flatMap((line) => {
        const m = /\bERROR: (.*)$/.exec(line);
        if (!m || line.startsWith('TASK ERROR')) return [];
        // "migration aborted (duration 00:00:01): <why>": the exit status already says the first part
        const why = m[1].replace(/^migration (?:aborted|finished with problems) \(duration [^)]*\):?\s*/, '');
        return why ? [why] : [];
      });
      return errors.length ? new PolyvisorError({ ...info, message: `${info.message}: ${errors.join('; ')}` }, { cause: err }) : err;
    } catch (logErr) {
      this.deps.log?.('debug', `log of ${upid} not read: ${toErrorInfo(logErr).message}`);
      return err;
    }
  }
}
