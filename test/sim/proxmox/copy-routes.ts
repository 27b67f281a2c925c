// Routes that copy guests: clone (of the current state or a snapshot), convert to
// a template, and the cluster's next free VMID. Parameters as in the PVE schema.

import { ParamError, P, type ParamSpec } from './params';
import { requireGuest, runTask, GUEST_PARAMS, type Route, type RouteContext } from './route-kit';
import { checkTemplateConversion, cloneWork, makeTemplate, nextFreeVmid, templateWork, type CloneRequest } from './copy-ops';
import type { GuestType } from './state';
import { taskPrefix } from './guest-ops';

const optional = (spec: ParamSpec): ParamSpec => ({ ...spec, optional: true });
const dnsName: ParamSpec = { type: 'string', format: 'dns-name', optional: true };

function cloneRoute(type: GuestType): Route {
  const isQemu = type === 'qemu';
  return {
    method: 'POST',
    path: `/nodes/{node}/${type}/{vmid}/clone`,
    params: {
      ...GUEST_PARAMS,
      bwlimit: { type: isQemu ? 'integer' : 'number', minimum: 0, optional: true },
      description: P.optString,
      ...(isQemu ? { format: { type: 'string', enum: ['raw', 'qcow2', 'vmdk'], optional: true }, name: dnsName } : { hostname: dnsName }),
      full: P.optBool,
      newid: { ...P.vmid },
      pool: { type: 'string', format: 'pve-poolid', optional: true },
      snapname: optional(P.snapname),
      storage: { type: 'string', format: 'pve-storage-id', optional: true },
      target: optional(P.node),
    },
    handler(ctx) {
      const source = requireGuest(ctx.state, type, ctx.params);
      const p = ctx.params;
      const text = (v: unknown) => (v === undefined ? undefined : String(v));
      const req: CloneRequest = {
        newid: Number(p.newid),
        snapname: text(p.snapname),
        name: text(isQemu ? p.name : p.hostname),
        description: text(p.description),
        target: text(p.target),
        pool: text(p.pool),
        storage: text(p.storage),
        full: p.full === undefined ? undefined : p.full === true,
      };
      return runTask(ctx, source, `${taskPrefix(source)}clone`, cloneWork(ctx.state, source, req));
    },
  };
}

function templateRoute(type: GuestType): Route {
  const isQemu = type === 'qemu';
  return {
    method: 'POST',
    path: `/nodes/{node}/${type}/{vmid}/template`,
    params: isQemu ? { ...GUEST_PARAMS, disk: { type: 'string', enum: QEMU_DISKS, optional: true } } : GUEST_PARAMS,
    handler(ctx: RouteContext) {
      const g = requireGuest(ctx.state, type, ctx.params);
      checkTemplateConversion(g);
      if (isQemu) return runTask(ctx, g, 'qmtemplate', templateWork(g));
      // pct converts at once under the config lock and answers null
      makeTemplate(g);
      return null;
    },
  };
}

export function copyRoutes(type: GuestType): Route[] {
  return [cloneRoute(type), templateRoute(type)];
}

export const CLUSTER_COPY_ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/cluster/nextid',
    params: { vmid: optional(P.vmid) },
    handler(ctx) {
      const asked = ctx.params.vmid;
      if (asked !== undefined) {
        if (ctx.state.guest(Number(asked))) throw new ParamError({ vmid: `VM ${asked} already exists` });
        return String(asked);
      }
      // Perl used the number as a hash key first, so PVE's JSON carries it as a string ("100")
      return String(nextFreeVmid(ctx.state));
    },
  },
];

/** The drive keys a qemu disk parameter may name (template, resize). */
export const QEMU_DISKS = [
  ...['ide0', 'ide1', 'ide2', 'ide3'],
  ...Array.from({ length: 31 }, (_, i) => `scsi${i}`),
  ...Array.from({ length: 16 }, (_, i) => `virtio${i}`),
  ...Array.from({ length: 6 }, (_, i) => `sata${i}`),
  'efidisk0',
  'tpmstate0',
];
