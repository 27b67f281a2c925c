// Node-level routes: reboot/shutdown (the node goes down shortly after the call
// answers, its guests stop; a reboot brings it back after nodeRebootMs and starts
// the onboot guests), wake on LAN (an offline node with a MAC configured boots),
// the node's notes and WoL MAC (GET/PUT /nodes/{node}/config) and the HA
// manager's status, whose LRM entry says "maintenance mode" while
// `ha-manager crm-command node-maintenance enable <node>` is in effect — PVE has
// no API call to set that, so tests set `SimNode.haMaintenance` as the CLI would.

import { SimHttpError } from './guest-ops';
import { P, type ParamSpec } from './params';
import { requireNode, type Route } from './route-kit';
import type { ClusterState, SimNode } from './state';

const optInt = (minimum: number, maximum: number): ParamSpec => ({ type: 'integer', minimum, maximum, optional: true });

function nodeDigest(n: SimNode): string {
  let x = 0x811c9dc5;
  for (const c of `${n.name}\n${n.description ?? ''}`) x = Math.imul(x ^ c.charCodeAt(0), 16777619) >>> 0;
  return x.toString(16).padStart(8, '0').repeat(5);
}

function goDown(s: ClusterState, n: SimNode): void {
  n.online = false;
  // pve-guests stops every guest before the host goes down
  for (const g of s.guests.values()) {
    if (g.node !== n.name || g.status !== 'running') continue;
    g.status = 'stopped';
    g.qmpstatus = undefined;
    g.startedAt = undefined;
    g.lock = undefined;
  }
}

function comeUp(s: ClusterState, n: SimNode): void {
  n.online = true;
  n.bootedAt = Date.now();
  for (const g of s.guests.values()) {
    if (g.node !== n.name || !/^1/.test(String(g.config.onboot ?? ''))) continue;
    g.status = 'running';
    if (g.type === 'qemu') g.qmpstatus = 'running';
    g.startedAt = Date.now();
  }
}

export const NODE_ROUTES: Route[] = [
  {
    method: 'POST',
    path: '/nodes/{node}/status',
    params: { command: { type: 'string', enum: ['reboot', 'shutdown'] }, node: P.node },
    handler(ctx) {
      const s = ctx.state;
      const n = requireNode(s, String(ctx.params.node));
      if (!n.online) throw new SimHttpError(595, `No route to host`);
      ctx.tasks.schedule(s.nodeGoesDownMs, () => {
        goDown(s, n);
        if (ctx.params.command === 'reboot') ctx.tasks.schedule(s.nodeRebootMs, () => comeUp(s, n));
      });
      return null;
    },
  },
  {
    method: 'POST',
    path: '/nodes/{node}/wakeonlan',
    params: { node: P.node },
    handler(ctx) {
      // runs on the node the client talks to (the first one), reading the target's config from the cluster file system
      const s = ctx.state;
      const name = String(ctx.params.node);
      const local = [...s.nodes.keys()][0];
      if (name === local) throw new SimHttpError(500, `'${name}' is local node, cannot wake my self!`);
      const n = s.node(name);
      if (!n) throw new SimHttpError(500, `no such cluster node '${name}'`);
      const mac = /(?:^|,)(?:mac=)?([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5})(?:,|$)/.exec(n.wakeonlan ?? '')?.[1];
      if (!mac) throw new SimHttpError(500, `No wake on LAN MAC address defined for '${name}'!`);
      if (!n.online) ctx.tasks.schedule(s.nodeRebootMs, () => comeUp(s, n));
      return mac;
    },
  },
  {
    method: 'GET',
    path: '/nodes/{node}/config',
    params: {
      node: P.node,
      property: {
        type: 'string',
        enum: ['acme', 'acmedomain0', 'acmedomain1', 'acmedomain2', 'acmedomain3', 'acmedomain4', 'acmedomain5', 'ballooning-target', 'description', 'startall-onboot-delay', 'wakeonlan'],
        optional: true,
      },
    },
    handler(ctx) {
      const n = requireNode(ctx.state, String(ctx.params.node));
      const all: Record<string, unknown> = {
        digest: nodeDigest(n),
        ...(n.description !== undefined ? { description: n.description } : {}),
        ...(n.wakeonlan !== undefined ? { wakeonlan: n.wakeonlan } : {}),
      };
      if (ctx.params.property === undefined) return all;
      const only = String(ctx.params.property);
      return only in all ? { [only]: all[only] } : {};
    },
  },
  {
    method: 'PUT',
    path: '/nodes/{node}/config',
    params: {
      acme: P.optString,
      'acmedomain[n]': P.optString,
      'ballooning-target': optInt(0, 100),
      delete: { type: 'string', format: 'pve-configid-list', optional: true },
      description: { type: 'string', maxLength: 65536, optional: true },
      digest: { type: 'string', maxLength: 40, optional: true },
      node: P.node,
      'startall-onboot-delay': optInt(0, 300),
      wakeonlan: P.optString,
    },
    handler(ctx) {
      const n = requireNode(ctx.state, String(ctx.params.node));
      const p = ctx.params;
      if (p.digest !== undefined && p.digest !== nodeDigest(n)) {
        throw new SimHttpError(500, 'detected modified configuration - file changed by other user? Try again.');
      }
      if (p.description !== undefined) n.description = String(p.description);
      if (p.wakeonlan !== undefined) n.wakeonlan = String(p.wakeonlan);
      const deleted = String(p.delete ?? '').split(/[,;\s]+/);
      if (deleted.includes('description')) n.description = undefined;
      if (deleted.includes('wakeonlan')) n.wakeonlan = undefined;
      return null;
    },
  },
  {
    method: 'GET',
    path: '/cluster/ha/status/current',
    params: {},
    handler(ctx) {
      const nodes = [...ctx.state.nodes.values()];
      const now = Math.floor(Date.now() / 1000);
      const master = nodes.find((n) => n.online) ?? nodes[0];
      return [
        { id: 'quorum', type: 'quorum', node: master.name, status: 'OK', quorate: 1 },
        { id: 'master', type: 'master', node: master.name, status: `${master.name} (idle, ${new Date().toUTCString()})`, timestamp: now },
        ...nodes.map((n) => ({
          id: `lrm:${n.name}`,
          type: 'lrm',
          node: n.name,
          // the API's own wording: "<mode> mode" for an LRM not in active mode
          status: n.haMaintenance ? 'maintenance mode' : n.online ? 'idle' : 'old timestamp - dead?',
          timestamp: n.online ? now : now - 120,
        })),
      ];
    },
  },
];
