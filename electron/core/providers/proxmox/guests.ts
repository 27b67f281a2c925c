// The ProviderGuests facet of a Proxmox VE connection (issue 14): the New VM
// wizard's options and create, a guest's properties (pending values shown, as
// PVE's own hardware view does), configure with the digest (a concurrent edit is
// refused by PVE with its own words) reporting what waits for the next start,
// and what a delete removes. Clone, convert and delete are actions (lifecycle-actions.ts).

import { PolyvisorError, toErrorInfo } from '../../../../shared/errors';
import type { GuestSettingKey } from '../../../../shared/guests';
import type { ProviderGuests } from '../provider';
import { guestPath } from './actions';
import { readNothing, readSnapshotList } from './answers';
import { createProxmoxGuest, type CreateDeps } from './create-guest';
import { nodeIsos, proxmoxCreateOptions } from './create-options';
import { readGuestConfig, readPending } from './guest-answers';
import { changeParams, settingOf } from './guest-changes';
import { disksOf, propertiesOf } from './guest-config';
import { guestRef, parseGuestRef, type GuestType } from './model-map';

export type GuestsDeps = CreateDeps & { refresh: () => Promise<void> };

const GUEST_KINDS = new Set(['vm', 'container', 'template']);

export function proxmoxGuests(deps: GuestsDeps): ProviderGuests {
  const { client } = deps;

  /** The guest a target names, with its node as the last poll saw it. */
  const locate = (target: { nativeRef: string; kind: string }): { node: string; type: GuestType; vmid: number } => {
    const ref = parseGuestRef(target.nativeRef);
    if (!ref || ref.snapname || !GUEST_KINDS.has(target.kind)) {
      throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'nodeIds', message: `A ${target.kind} is not a Proxmox VE guest.` });
    }
    const guest = deps.cache().guest(guestRef(ref.type, ref.vmid));
    if (!guest) throw new PolyvisorError({ code: 'NOT_FOUND', message: `Guest ${ref.vmid} is no longer in the cluster.` });
    return { node: guest.node, type: ref.type, vmid: ref.vmid };
  };

  /** Shows the outcome in the tree now; the next poll would otherwise. */
  const refreshed = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } finally {
      await deps.refresh().catch((e: unknown) => deps.log?.('debug', `Proxmox VE: refresh after a guest change failed: ${toErrorInfo(e).message}`));
    }
  };

  return {
    createOptions: () => proxmoxCreateOptions(client, deps.serverId, deps.cache()),

    create: (spec, task) => refreshed(createProxmoxGuest(deps, spec, task)),

    async properties(target) {
      const guest = locate(target);
      const [cfg, isos] = await Promise.all([client.get(`${guestPath(guest)}/config`, readGuestConfig), guest.type === 'qemu' ? nodeIsos(client, guest.node) : []]);
      return { ...propertiesOf(guest.type, guest.vmid, cfg), isos };
    },

    configure: (target, changes, task) =>
      refreshed(
        (async () => {
          const guest = locate(target);
          const path = guestPath(guest);
          const params = changeParams(guest.type, changes, await client.get(`${path}/config`, readGuestConfig));
          await client.put(`${path}/config`, readNothing, params);
          task.progress(0.8);
          // what a running guest could not take now waits in PVE's pending section for its next start
          const pending = await client.get(`${path}/pending`, readPending);
          const sent = new Set([...Object.keys(params), ...String(params.delete ?? '').split(',')]);
          const nextBoot = [...new Set(pending.filter((p) => sent.has(p.key)).flatMap((p) => settingOf(p.key) ?? []))] as GuestSettingKey[];
          task.progress(1);
          return nextBoot.length ? { nextBoot } : {};
        })(),
      ),

    async deletePlan(target) {
      const guest = locate(target);
      const path = guestPath(guest);
      const [cfg, snapshots] = await Promise.all([client.get(`${path}/config`, readGuestConfig, { current: 1 }), client.get(`${path}/snapshot`, readSnapshotList)]);
      return {
        snapshots: snapshots.filter((s) => s.name !== 'current').length,
        disks: disksOf(guest.type, cfg).map((d) => ({ name: d.name, sizeBytes: d.sizeBytes, ...(d.storageName ? { storageName: d.storageName } : {}) })),
      };
    },
  };
}
