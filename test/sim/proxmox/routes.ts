// The declarative route table: every path and method the simulator serves,
// with its parameters as declared in the PVE API schema (schema.test.ts checks
// both against pve-api-schema.json) and a handler computing the answer from state.

import { powerWork, SimHttpError, type PowerOp } from './guest-ops';
import { P, type ParamSpecs } from './params';
import { GUEST_PARAMS, requireGuest, requireNode, runTask, type Route, type RouteContext } from './route-kit';
import type { ClusterState, GuestType, SimGuest, SimNode } from './state';
import { taskFields, TASK_ROUTES } from './task-routes';
import { LOG_ROUTES } from './log-routes';
import { CONSOLE_ROUTES } from './console';
import { AGENT_ROUTES } from './agent-routes';
import { CLUSTER_COPY_ROUTES, copyRoutes } from './copy-routes';
import { snapshotRoutes } from './snapshot-routes';
import { MIGRATE_ROUTES } from './migrate-routes';
import { NODE_ROUTES } from './node-routes';
import { configRoutes } from './config-routes';
import { RESIZE_ROUTES } from './resize-routes';
import { MOVE_DISK_ROUTES } from './move-disk-routes';
import { CREATE_ROUTES } from './create-routes';
import { STORAGE_ROUTES } from './storage-routes';
import { storageUsed } from './volumes';
import { RRD_ROUTES } from './rrd-routes';
import { ACCESS_ROUTES } from './access-routes';
import { NETWORK_ROUTES } from './network-routes';
import { SDN_ROUTES } from './sdn-routes';
import { SDN_ZONE_ROUTES } from './sdn-zone-routes';

export type { Method, Route, RouteContext } from './route-kit';

/** how many tasks GET /cluster/tasks lists (pmxcfs keeps a bounded recent list) */
const RECENT_TASKS = 500;

const uptime = (g: { startedAt?: number; status: string }) =>
  g.status === 'running' && g.startedAt ? Math.floor((Date.now() - g.startedAt) / 1000) : 0;
const nodeUptime = (n: SimNode) => Math.floor((Date.now() - n.bootedAt) / 1000);
const jitter = (base: number) => Math.round(base * (0.9 + Math.random() * 0.2));
const guestMem = (g: SimGuest) => (g.status === 'running' ? jitter(g.maxmem * 0.4) : 0);
const guestCpu = (g: SimGuest) => (g.status === 'running' ? Math.random() * 0.05 : 0);

/** Status as pvestatd broadcasts it: QMP status for running VMs (paused, …). */
function resourceStatus(state: ClusterState, g: SimGuest): string {
  if (!state.node(g.node)?.online) return 'unknown';
  if (g.type === 'qemu' && g.status === 'running') return g.qmpstatus ?? 'running';
  return g.status;
}

function guestResource(state: ClusterState, g: SimGuest): Record<string, unknown> {
  const r: Record<string, unknown> = {
    id: `${g.type}/${g.vmid}`,
    type: g.type,
    vmid: g.vmid,
    name: g.name,
    node: g.node,
    status: resourceStatus(state, g),
    template: g.template ? 1 : 0,
    maxcpu: g.maxcpu,
    maxmem: g.maxmem,
    maxdisk: g.maxdisk,
    disk: g.disk,
    mem: guestMem(g),
    cpu: guestCpu(g),
    uptime: uptime(g),
    netin: g.netin,
    netout: g.netout,
    diskread: g.diskread,
    diskwrite: g.diskwrite,
  };
  if (g.tags) r.tags = g.tags;
  if (g.lock) r.lock = g.lock;
  if (g.pool) r.pool = g.pool;
  return r;
}

function nodeResource(n: SimNode): Record<string, unknown> {
  return {
    id: `node/${n.name}`,
    type: 'node',
    node: n.name,
    status: n.online ? 'online' : 'offline',
    ...(n.online
      ? { maxcpu: n.maxcpu, maxmem: n.maxmem, mem: jitter(n.mem), maxdisk: n.maxdisk, disk: n.disk, uptime: nodeUptime(n), cpu: Math.random() * 0.02 }
      : {}),
    level: '',
    'cgroup-mode': 2,
  };
}

function guestListEntry(g: SimGuest): Record<string, unknown> {
  const e: Record<string, unknown> = {
    vmid: g.vmid,
    name: g.name,
    status: g.status,
    cpus: g.maxcpu,
    cpu: guestCpu(g),
    maxmem: g.maxmem,
    mem: guestMem(g),
    maxdisk: g.maxdisk,
    uptime: uptime(g),
    netin: g.netin,
    netout: g.netout,
    diskread: g.diskread,
    diskwrite: g.diskwrite,
  };
  if (g.type === 'lxc') {
    e.disk = g.disk;
    e.maxswap = 536870912;
  } else if (g.status === 'running') {
    e.pid = 10000 + g.vmid;
  }
  if (g.tags) e.tags = g.tags;
  if (g.lock) e.lock = g.lock;
  if (g.template) e.template = 1;
  return e;
}

function guestRoutes(type: GuestType): Route[] {
  const base = `/nodes/{node}/${type}/{vmid}`;
  const isQemu = type === 'qemu';
  const guest = (ctx: RouteContext) => requireGuest(ctx.state, type, ctx.params);
  const power = (op: PowerOp, params: ParamSpecs): Route => ({
    method: 'POST',
    path: `${base}/status/${op}`,
    params: { ...GUEST_PARAMS, ...params },
    handler(ctx) {
      const g = guest(ctx);
      const { type: taskType, work } = powerWork(g, op, ctx.params);
      return runTask(ctx, g, taskType, work);
    },
  });

  const routes: Route[] = [
    {
      method: 'GET',
      path: `/nodes/{node}/${type}`,
      params: isQemu ? { full: P.optBool, node: P.node } : { node: P.node },
      handler(ctx) {
        requireNode(ctx.state, String(ctx.params.node));
        return [...ctx.state.guests.values()].filter((g) => g.type === type && g.node === ctx.params.node).map(guestListEntry);
      },
    },
    {
      method: 'GET',
      path: base,
      params: GUEST_PARAMS,
      handler(ctx) {
        guest(ctx);
        const dirs = isQemu
          ? ['config', 'pending', 'status', 'unlink', 'vncproxy', 'termproxy', 'migrate', 'resize', 'move', 'rrd', 'rrddata', 'monitor', 'agent', 'snapshot', 'spiceproxy', 'sendkey', 'firewall', 'mtunnel', 'remote_migrate']
          : ['config', 'pending', 'status', 'vncproxy', 'termproxy', 'vncwebsocket', 'spiceproxy', 'migrate', 'clone', 'rrd', 'rrddata', 'firewall', 'snapshot', 'resize'];
        return dirs.map((subdir) => ({ subdir }));
      },
    },
    {
      method: 'GET',
      path: `${base}/status`,
      params: GUEST_PARAMS,
      handler(ctx) {
        guest(ctx);
        const cmds = isQemu ? ['current', 'start', 'stop', 'reset', 'shutdown', 'suspend', 'reboot'] : ['current', 'start', 'stop', 'shutdown', 'migrate'];
        return cmds.map((subdir) => ({ subdir }));
      },
    },
    {
      method: 'GET',
      path: `${base}/status/current`,
      params: GUEST_PARAMS,
      handler(ctx) {
        const g = guest(ctx);
        const cur: Record<string, unknown> = { ...guestListEntry(g), ha: { managed: 0 } };
        if (isQemu && g.status === 'running') {
          cur.qmpstatus = g.qmpstatus ?? 'running';
          cur['running-machine'] = 'pc-i440fx-8.1+pve0';
          cur['running-qemu'] = '8.1.5';
        }
        if (isQemu) cur.agent = 1;
        return cur;
      },
    },
    ...configRoutes(type),
    ...snapshotRoutes(type),
    ...copyRoutes(type),
  ];

  if (isQemu) {
    routes.push(
      power('start', {
        'force-cpu': P.optString,
        machine: P.optString,
        migratedfrom: { type: 'string', format: 'pve-node', optional: true },
        migration_network: { type: 'string', format: 'CIDR', optional: true },
        migration_type: { type: 'string', enum: ['secure', 'insecure'], optional: true },
        'nets-host-mtu': { type: 'string', pattern: 'net\\d+=\\d+(,net\\d+=\\d+)*', optional: true },
        skiplock: P.optBool,
        stateuri: { type: 'string', maxLength: 128, optional: true },
        targetstorage: { type: 'string', format: 'storage-pair-list', optional: true },
        timeout: P.optTimeout,
        'with-conntrack-state': P.optBool,
      }),
      power('shutdown', { forceStop: P.optBool, keepActive: P.optBool, skiplock: P.optBool, timeout: P.optTimeout }),
      power('stop', {
        keepActive: P.optBool,
        migratedfrom: { type: 'string', format: 'pve-node', optional: true },
        'overrule-shutdown': P.optBool,
        skiplock: P.optBool,
        timeout: P.optTimeout,
      }),
      power('reboot', { timeout: P.optTimeout }),
      power('reset', { skiplock: P.optBool }),
      power('suspend', {
        skiplock: P.optBool,
        statestorage: { type: 'string', format: 'pve-storage-id', optional: true, requires: 'todisk' },
        todisk: P.optBool,
      }),
      power('resume', { nocheck: P.optBool, skiplock: P.optBool }),
    );
  } else {
    routes.push(
      power('start', { debug: P.optBool, skiplock: P.optBool }),
      power('shutdown', { forceStop: P.optBool, timeout: P.optTimeout }),
      power('stop', { 'overrule-shutdown': P.optBool, skiplock: P.optBool }),
      power('reboot', { timeout: P.optTimeout }),
      power('suspend', {}),
      power('resume', {}),
    );
  }
  return routes;
}

export const ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/version',
    params: {},
    handler: (ctx) => ({ ...ctx.state.version, console: 'html5' }),
  },
  {
    method: 'GET',
    path: '/access/ticket',
    params: {},
    public: true,
    handler: () => null,
  },
  {
    method: 'POST',
    path: '/access/ticket',
    params: {
      'new-format': P.optBool,
      otp: P.optString,
      password: { type: 'string' },
      path: { type: 'string', maxLength: 64, optional: true, requires: 'privs' },
      privs: { type: 'string', format: 'pve-priv-list', maxLength: 64, optional: true, requires: 'path' },
      realm: { type: 'string', format: 'pve-realm', maxLength: 32, optional: true },
      'tfa-challenge': P.optString,
      username: { type: 'string', maxLength: 64 },
    },
    public: true,
    handler(ctx) {
      const p = ctx.params;
      const r = ctx.auth.login(String(p.username), String(p.password), p.realm as string | undefined);
      if (!r) throw new SimHttpError(401, 'authentication failure');
      const result: Record<string, unknown> = { username: r.username, ticket: r.ticket, CSRFPreventionToken: r.csrf, cap: CAPABILITIES };
      if (ctx.state.clusterName) result.clustername = ctx.state.clusterName;
      return result;
    },
  },
  {
    method: 'GET',
    path: '/cluster/status',
    params: {},
    handler(ctx) {
      const s = ctx.state;
      const nodes = [...s.nodes.values()];
      const entries: Record<string, unknown>[] = [];
      if (s.clusterName) {
        entries.push({ type: 'cluster', id: 'cluster', name: s.clusterName, nodes: nodes.length, quorate: 1, version: 4 });
      }
      nodes.forEach((n, i) =>
        entries.push({ type: 'node', id: `node/${n.name}`, name: n.name, nodeid: s.clusterName ? n.nodeid : 0, ip: n.ip, online: n.online ? 1 : 0, local: i === 0 ? 1 : 0, level: '' }),
      );
      return entries;
    },
  },
  {
    method: 'GET',
    path: '/cluster/tasks',
    params: {},
    handler(ctx) {
      // the cluster's recent tasks, newest first; running ones say so, finished ones carry their exit status
      return [...ctx.tasks.tasks.values()]
        .reverse()
        .slice(0, RECENT_TASKS)
        .map((t) => ({
          ...taskFields(t),
          status: t.status === 'running' ? 'running' : (t.exitstatus ?? 'unknown'),
          ...(t.endtime !== undefined ? { endtime: t.endtime } : {}),
        }));
    },
  },
  {
    method: 'GET',
    path: '/cluster/resources',
    params: { type: { type: 'string', enum: ['vm', 'storage', 'node', 'sdn'], optional: true } },
    handler(ctx) {
      const s = ctx.state;
      const want = ctx.params.type;
      const out: Record<string, unknown>[] = [];
      if (!want || want === 'vm') for (const g of s.guests.values()) out.push(guestResource(s, g));
      if (!want || want === 'node') for (const n of s.nodes.values()) out.push(nodeResource(n));
      if (!want || want === 'storage') {
        for (const st of s.storage) {
          out.push({
            id: `storage/${st.node}/${st.storage}`,
            type: 'storage',
            storage: st.storage,
            node: st.node,
            status: s.node(st.node)?.online ? 'available' : 'unknown',
            plugintype: st.plugintype,
            content: st.content,
            disk: storageUsed(s, st),
            maxdisk: st.maxdisk,
            shared: st.shared ? 1 : 0,
          });
        }
      }
      return out;
    },
  },
  {
    method: 'GET',
    path: '/nodes',
    params: {},
    handler(ctx) {
      return [...ctx.state.nodes.values()].map((n) => {
        const r = nodeResource(n);
        delete r['cgroup-mode'];
        return { ...r, ssl_fingerprint: n.sslFingerprint };
      });
    },
  },
  {
    method: 'GET',
    path: '/nodes/{node}/status',
    params: { node: P.node },
    handler(ctx) {
      const n = requireNode(ctx.state, String(ctx.params.node));
      return {
        uptime: nodeUptime(n),
        cpu: Math.random() * 0.02,
        cpuinfo: { model: n.cpuModel, cores: n.maxcpu / 2, cpus: n.maxcpu, sockets: 1, mhz: '2400.000', hvm: '1', user_hz: 100, flags: 'fpu vme de pse tsc msr pae mce cx8 apic sep' },
        loadavg: ['0.15', '0.25', '0.30'],
        memory: { total: n.maxmem, used: n.mem, free: n.maxmem - n.mem, available: n.maxmem - n.mem },
        swap: { total: 0, free: 0, used: 0 },
        rootfs: { total: n.maxdisk, used: n.disk, free: n.maxdisk - n.disk, avail: n.maxdisk - n.disk },
        ksm: { shared: 0 },
        'boot-info': { mode: 'efi', secureboot: 0 },
        'current-kernel': { sysname: 'Linux', release: '6.8.12-1-pve', machine: 'x86_64', version: '#1 SMP PREEMPT_DYNAMIC PMX 6.8.12-1 (2024-08-05T16:17Z)' },
        kversion: 'Linux 6.8.12-1-pve #1 SMP PREEMPT_DYNAMIC PMX 6.8.12-1 (2024-08-05T16:17Z)',
        pveversion: `pve-manager/${ctx.state.version.version}/${ctx.state.version.repoid}`,
        idle: 0,
        wait: 0,
      };
    },
  },
  ...CLUSTER_COPY_ROUTES,
  ...CREATE_ROUTES,
  ...guestRoutes('qemu'),
  ...guestRoutes('lxc'),
  ...MIGRATE_ROUTES,
  ...RESIZE_ROUTES,
  ...MOVE_DISK_ROUTES,
  ...NODE_ROUTES,
  ...STORAGE_ROUTES,
  ...CONSOLE_ROUTES,
  ...AGENT_ROUTES,
  ...TASK_ROUTES,
  ...LOG_ROUTES,
  ...RRD_ROUTES,
  ...ACCESS_ROUTES,
  ...NETWORK_ROUTES,
  ...SDN_ROUTES,
  ...SDN_ZONE_ROUTES,
];

// What POST /access/ticket answers for root@pam (from a recorded response).
const CAPABILITIES = {
  vms: { 'VM.Audit': 1, 'VM.PowerMgmt': 1, 'VM.Snapshot': 1, 'VM.Snapshot.Rollback': 1, 'VM.Console': 1, 'VM.Config.Options': 1, 'Permissions.Modify': 1 },
  nodes: { 'Sys.Audit': 1, 'Sys.Console': 1, 'Sys.Modify': 1, 'Sys.PowerMgmt': 1, 'Sys.Syslog': 1, 'Permissions.Modify': 1 },
  storage: { 'Datastore.Allocate': 1, 'Datastore.Audit': 1, 'Datastore.AllocateSpace': 1, 'Permissions.Modify': 1 },
  access: { 'User.Modify': 1, 'Group.Allocate': 1, 'Permissions.Modify': 1 },
  dc: { 'Sys.Audit': 1, 'SDN.Audit': 1 },
};
