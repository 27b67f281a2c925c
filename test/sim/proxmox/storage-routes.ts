// What a node offers a new guest: its storages with their space (GET
// /nodes/{node}/storage) and what is on one (…/storage/{storage}/content: ISOs,
// container templates, disk images); its network interfaces are in network-routes.ts.

import { SimHttpError } from './guest-ops';
import { P, type ParamSpec } from './params';
import { requireNode, type Route } from './route-kit';
import type { SimStorage } from './state';
import { storageContent, storageOn, storageUsed } from './volumes';

const storageId: ParamSpec = { type: 'string', format: 'pve-storage-id' };
const FORMATS: Record<string, { default: string; supported: string[] }> = {
  dir: { default: 'qcow2', supported: ['qcow2', 'raw', 'vmdk'] },
  zfspool: { default: 'raw', supported: ['raw', 'subvol'] },
};

export const STORAGE_ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/nodes/{node}/storage',
    params: {
      content: { type: 'string', format: 'pve-storage-content-list', optional: true },
      enabled: P.optBool,
      format: P.optBool,
      node: P.node,
      storage: { ...storageId, optional: true },
      target: { ...P.node, optional: true },
    },
    handler(ctx) {
      const s = ctx.state;
      const node = String(ctx.params.node);
      const n = requireNode(s, node);
      const wanted = ctx.params.content === undefined ? [] : String(ctx.params.content).split(',');
      const seen = new Set<string>();
      const list: SimStorage[] = [];
      for (const st of s.storage) {
        if ((st.node !== node && !st.shared) || seen.has(st.storage)) continue;
        if (ctx.params.storage !== undefined && st.storage !== ctx.params.storage) continue;
        if (wanted.length && !wanted.some((c) => st.content.split(',').includes(c))) continue;
        seen.add(st.storage);
        list.push(st);
      }
      return list.map((st) => {
        const used = storageUsed(s, st);
        return {
          storage: st.storage,
          type: st.plugintype,
          content: st.content,
          active: n.online ? 1 : 0,
          enabled: 1,
          shared: st.shared ? 1 : 0,
          total: st.maxdisk,
          used,
          avail: Math.max(0, st.maxdisk - used),
          used_fraction: st.maxdisk ? used / st.maxdisk : 0,
          ...(ctx.params.format === true ? { formats: FORMATS[st.plugintype] ?? { default: 'raw', supported: ['raw'] } } : {}),
        };
      });
    },
  },
  {
    method: 'GET',
    path: '/nodes/{node}/storage/{storage}/content',
    params: {
      content: { type: 'string', format: 'pve-storage-content', optional: true },
      node: P.node,
      storage: storageId,
      vmid: { ...P.vmid, optional: true },
    },
    handler(ctx) {
      const node = String(ctx.params.node);
      requireNode(ctx.state, node);
      const st = storageOn(ctx.state, node, String(ctx.params.storage));
      if (!st) throw new SimHttpError(500, `storage '${ctx.params.storage}' does not exist`);
      const { content, vmid } = ctx.params;
      return storageContent(ctx.state, node, st).filter((v) => (content === undefined || v.content === content) && (vmid === undefined || v.vmid === vmid));
    },
  },
];
