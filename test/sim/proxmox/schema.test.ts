// Checks the simulator against the official PVE API schema (pve-docs apidata.js):
// every route it serves must exist there with exactly the declared parameters,
// and every answer it gives must have the declared shape.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, startProxmoxSimulator, type ProxmoxSimulator, type Route } from './index';
import type { ParamSpec } from './params';
import { guestAgents } from './agent-routes';
import { waitFor } from '../../integration/provider-mirror';
import path from 'node:path';
import { SHARED_DIR } from '../../shared-dir';

const SCHEMA_FILE = path.join(SHARED_DIR, 'reference/proxmox/pve-api-schema.json');

interface SchemaNode {
  path: string;
  info?: Record<string, SchemaMethod>;
  children?: SchemaNode[];
}
interface SchemaMethod {
  parameters: { properties?: Record<string, SchemaProp>; additionalProperties?: number };
  returns: SchemaProp;
  permissions?: { user?: string };
}
interface SchemaProp {
  type?: string;
  optional?: number;
  enum?: string[];
  pattern?: string;
  format?: string | Record<string, unknown>;
  minimum?: number | string;
  maximum?: number | string;
  maxLength?: number;
  requires?: string;
  properties?: Record<string, SchemaProp>;
  items?: SchemaProp;
  additionalProperties?: number | boolean | SchemaProp;
}

const schemaIndex = new Map<string, SchemaNode>();
const walk = (nodes: SchemaNode[]) => {
  for (const n of nodes) {
    schemaIndex.set(n.path, n);
    walk(n.children ?? []);
  }
};
walk(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as SchemaNode[]);

const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

// Fields real servers send beyond the schema (seen in recorded responses and in
// PVE's code): the simulator sends them too, everything else must be declared.
const KNOWN_EXTRAS: Record<string, string[]> = {
  'GET /nodes': ['id', 'type', 'disk', 'maxdisk'],
  'GET /nodes/{node}/status': ['mhz', 'hvm', 'user_hz', 'flags'],
  'GET /nodes/{node}/lxc/{vmid}/config': ['parent'],
  'POST /access/ticket': ['cap'],
  'GET /nodes/{node}/qemu/{vmid}/snapshot': ['digest', 'running'],
  'GET /nodes/{node}/lxc/{vmid}/snapshot': ['digest', 'running'],
  'GET /cluster/tasks': ['node', 'pid', 'pstart', 'starttime', 'type', 'id', 'user', 'status', 'endtime'],
  // the schema leaves the entries' properties out; pmxcfs's clusterlog writes these
  'GET /cluster/log': ['uid', 'time', 'node', 'pid', 'user', 'tag', 'pri', 'msg'],
  // foreach_volid's attributes, which PVE hands out as they are
  'GET /nodes/{node}/qemu/{vmid}/migrate': ['referenced_in_config', 'drivename', 'replicate', 'shared'],
  'GET /nodes/{node}/config': ['digest'],
  // ifupdown2's bridge options, which PVE lists as it reads them
  'GET /nodes/{node}/network': ['bridge_fd', 'bridge_stp'],
  // each volume's content type (iso, vztmpl, images, rootdir), as recorded answers show
  'GET /nodes/{node}/storage/{storage}/content': ['content'],
};

// Integers real servers send as decimal strings: Perl used the value as a hash key
// before returning it, and its JSON encoder then writes a string (GET /cluster/nextid
// answers "100"; clients read both, the simulator sends what PVE sends).
const STRING_INTEGERS = new Set(['GET /cluster/nextid']);

function schemaMethod(route: Route): SchemaMethod {
  const method = schemaIndex.get(route.path)?.info?.[route.method];
  if (!method) throw new Error(`${routeKey(route)} is not in the PVE API schema`);
  return method;
}

function paramProblems(name: string, mine: ParamSpec, theirs: SchemaProp): string[] {
  const out: string[] = [];
  const cmp = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${name}.${what}: simulator ${JSON.stringify(a)} ≠ schema ${JSON.stringify(b)}`);
  };
  cmp('type', mine.type, theirs.type);
  cmp('optional', !!mine.optional, !!theirs.optional);
  cmp('enum', mine.enum, theirs.enum);
  cmp('pattern', mine.pattern, theirs.pattern);
  cmp('format', mine.format, typeof theirs.format === 'string' ? theirs.format : undefined);
  cmp('minimum', mine.minimum, theirs.minimum === undefined ? undefined : Number(theirs.minimum));
  cmp('maximum', mine.maximum, theirs.maximum === undefined ? undefined : Number(theirs.maximum));
  cmp('maxLength', mine.maxLength, theirs.maxLength);
  cmp('requires', mine.requires, theirs.requires);
  return out;
}

/** Validates an answer against a `returns` schema; returns the problems found. */
function shapeProblems(schema: SchemaProp, value: unknown, at: string, extras: string[]): string[] {
  const out: string[] = [];
  const type = schema.type;
  const bad = (msg: string) => out.push(`${at}: ${msg} (got ${JSON.stringify(value)?.slice(0, 80)})`);
  switch (type) {
    case 'null':
      if (value !== null) bad('expected null');
      return out;
    case 'string':
      if (typeof value !== 'string') bad('expected string');
      else if (schema.enum && !schema.enum.includes(value)) bad(`not in enum ${schema.enum.join(',')}`);
      else if (schema.pattern && !new RegExp(`^(?:${schema.pattern})$`).test(value)) bad(`does not match ${schema.pattern}`);
      return out;
    case 'integer':
      if (!Number.isInteger(value)) bad('expected integer');
      else if (schema.minimum !== undefined && (value as number) < Number(schema.minimum)) bad(`below minimum ${schema.minimum}`);
      return out;
    case 'number':
      if (typeof value !== 'number') bad('expected number');
      return out;
    case 'boolean':
      // PVE encodes booleans as 0/1
      if (value !== 0 && value !== 1 && value !== true && value !== false) bad('expected boolean (0/1)');
      return out;
    case 'array':
      if (!Array.isArray(value)) {
        bad('expected array');
        return out;
      }
      value.forEach((v, i) => schema.items && out.push(...shapeProblems(schema.items, v, `${at}[${i}]`, extras)));
      return out;
    case 'object': {
      if (!value || typeof value !== 'object' || Array.isArray(value)) {
        bad('expected object');
        return out;
      }
      const props = schema.properties;
      if (!props || Object.keys(props).length === 0) return out;
      const record = value as Record<string, unknown>;
      for (const [key, v] of Object.entries(record)) {
        const prop = props[key] ?? Object.entries(props).find(([k]) => k.endsWith('[n]') && new RegExp(`^${k.slice(0, -3)}\\d+$`).test(key))?.[1];
        if (prop) out.push(...shapeProblems(prop, v, `${at}.${key}`, extras));
        else if (!schema.additionalProperties && !extras.includes(key)) out.push(`${at}.${key}: not declared in the schema`);
      }
      for (const [key, prop] of Object.entries(props)) {
        if (!prop.optional && !(key in record)) out.push(`${at}.${key}: required but missing`);
      }
      return out;
    }
    default:
      return out;
  }
}

describe('route table vs PVE API schema', () => {
  it('serves a route table with real paths and methods', () => {
    expect(ROUTES.length).toBeGreaterThan(40);
    const keys = ROUTES.map(routeKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(ROUTES.map((r) => [routeKey(r), r] as const))('%s: parameters match the schema', (_key, route) => {
    const method = schemaMethod(route);
    const theirs = method.parameters.properties ?? {};
    expect(Object.keys(route.params).sort()).toEqual(Object.keys(theirs).sort());
    const problems = Object.entries(route.params).flatMap(([name, spec]) => paramProblems(name, spec, theirs[name]));
    expect(problems).toEqual([]);
    expect(!!route.public).toBe(method.permissions?.user === 'world');
  });
});

describe('answers vs PVE API schema', () => {
  let sim: ProxmoxSimulator;
  let cookie: string;
  let csrf: string;
  let upid: string;

  const call = async (method: string, path: string, params: Record<string, string> = {}) => {
    const query = method === 'GET' || method === 'DELETE' ? `?${new URLSearchParams(params)}` : '';
    const res = await fetch(`${sim.url}/api2/json${path}${query}`, {
      method,
      headers: { Cookie: cookie, CSRFPreventionToken: csrf, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: method === 'POST' || method === 'PUT' ? new URLSearchParams(params).toString() : undefined,
    });
    return { status: res.status, reason: res.statusText, body: (await res.json()) as { data: unknown } };
  };

  beforeAll(async () => {
    sim = await startProxmoxSimulator({ tls: false, taskDurationMs: 30 });
    const res = await fetch(`${sim.url}/api2/json/access/ticket`, {
      method: 'POST',
      body: new URLSearchParams({ username: 'root@pam', password: 'password' }),
    });
    const login = ((await res.json()) as { data: { ticket: string; CSRFPreventionToken: string } }).data;
    cookie = `PVEAuthCookie=${encodeURIComponent(login.ticket)}`;
    csrf = login.CSRFPreventionToken;
    upid = String((await call('POST', '/nodes/node2/qemu/100/snapshot', { snapname: 'schema_probe' })).body.data);
    // one paused VM so the paused shapes are covered too
    sim.state.guest(102)!.status = 'running';
    sim.state.guest(102)!.qmpstatus = 'paused';
    sim.state.guest(102)!.startedAt = Date.now();
    // a second storage for VM images on node2, where move_disk takes VM 100's disk
    sim.state.storage.push({ node: 'node2', storage: 'shape-fast', plugintype: 'zfspool', content: 'images,rootdir', disk: 0, maxdisk: 500 * 1024 ** 3, shared: false });
  });
  afterAll(() => sim?.stop());

  // Sample path values: qemu 100 (running, snapshots snap1→snap2), lxc 106 (running, snapshot1).
  function pathFor(route: Route): { path: string; params: Record<string, string> } {
    const isLxc = route.path.includes('/lxc');
    const values: Record<string, string> = {
      node: isLxc ? 'node1' : 'node2',
      vmid: isLxc ? '106' : '100',
      snapname: isLxc ? 'snapshot1' : 'snap1',
      upid,
    };
    if (route.path.startsWith('/nodes/{node}/tasks')) values.node = 'node2';
    const params: Record<string, string> = {};
    values.storage = 'local';
    // a new VM 950 (node2) and container 951 (node1), which the DELETE routes remove again
    if (route.path === '/nodes/{node}/qemu' && route.method === 'POST') {
      Object.assign(params, { vmid: '950', name: 'shape-vm', memory: '1024', balloon: '512', cores: '2', scsi0: 'local-zfs:4', net0: 'virtio,bridge=vmbr0', ide2: 'local:iso/debian-12.7.0-amd64-netinst.iso,media=cdrom' });
    }
    if (route.path === '/nodes/{node}/lxc' && route.method === 'POST') {
      Object.assign(params, { vmid: '951', hostname: 'shape-ct', ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst', rootfs: 'local-zfs:2' });
    }
    if (route.method === 'DELETE' && /\/(qemu|lxc)\/\{vmid\}$/.test(route.path)) values.vmid = isLxc ? '951' : '950';
    if (route.path.endsWith('{vmid}/config') && (route.method === 'PUT' || (route.method === 'POST' && route.path.includes('/qemu/')))) params.description = 'shape';
    if (route.path === '/access/ticket' && route.method === 'POST') Object.assign(params, { username: 'root@pam', password: 'password' });
    if (route.path === '/access/users' && route.method === 'POST') Object.assign(params, { userid: 'shape@pve', password: 'shape-secret' });
    if (route.path === '/access/groups' && route.method === 'POST') params.groupid = 'shape';
    if (route.path === '/access/acl' && route.method === 'PUT') Object.assign(params, { path: '/vms/100', roles: 'PVEAuditor', users: 'root@pam' });
    if (route.path.endsWith('/snapshot') && route.method === 'POST') params.snapname = `shape_${isLxc ? 'ct' : 'vm'}`;
    // the clone routes copy the snapshot the POST …/snapshot route took (snap1/snapshot1 are deleted by then) into
    // 900 (qemu) and 901 (lxc), stopped and without snapshots: what the template routes need
    const copyId = isLxc ? '901' : '900';
    if (route.path.endsWith('/clone')) Object.assign(params, { newid: copyId, snapname: `shape_${isLxc ? 'ct' : 'vm'}` });
    if (route.path.endsWith('/template')) values.vmid = copyId;
    if (route.path.endsWith('/resize')) Object.assign(params, { disk: isLxc ? 'rootfs' : 'scsi0', size: '+1G' });
    if (route.path.endsWith('/move_disk')) Object.assign(params, { disk: 'scsi0', storage: 'shape-fast' });
    // the copies (stopped templates by now) move; the bulk migrate matches nothing; node4 (no guests) reboots
    if (route.path.endsWith('/migrate') && route.method === 'POST') {
      values.vmid = copyId;
      Object.assign(params, { target: 'node3' });
    }
    if (route.path === '/nodes/{node}/migrateall') Object.assign(params, { target: 'node3', maxworkers: '1', vms: '999' });
    if (route.path === '/nodes/{node}/status' && route.method === 'POST') {
      values.node = 'node4';
      params.command = 'reboot';
    }
    if (route.path === '/nodes/{node}/config' && route.method === 'PUT') params.description = 'notes';
    if (route.path.endsWith('/rrddata')) Object.assign(params, { timeframe: 'hour', cf: 'MAX' });
    if (route.path === '/nodes/{node}/wakeonlan') {
      values.node = 'node3';
      sim.state.node('node3')!.wakeonlan = 'mac=BC:24:11:0A:00:03';
    }
    if (/\/(status\/(suspend|resume)|vncproxy|termproxy)$/.test(route.path)) {
      // earlier power routes may have stopped the guest; these refuse a stopped one up front
      const g = sim.state.guest(Number(values.vmid))!;
      Object.assign(g, { status: 'running', startedAt: Date.now(), lock: undefined });
    }
    if (/\/agent\/(get-osinfo|network-get-interfaces)$/.test(route.path)) {
      // the guest's agent answers only in a running VM that runs one (PVE 9's recorded answers)
      const g = sim.state.guest(Number(values.vmid))!;
      Object.assign(g, { status: 'running', startedAt: Date.now(), lock: undefined });
      guestAgents(sim.state).set(g.vmid, {
        osinfo: { id: 'debian', name: 'Debian GNU/Linux', 'pretty-name': 'Debian GNU/Linux 12 (bookworm)', version: '12 (bookworm)', 'version-id': '12', machine: 'x86_64', 'kernel-release': '6.1.0', 'kernel-version': '#1 SMP' },
        interfaces: [{ name: 'eth0', 'hardware-address': 'BC:24:11:2E:C5:4A', 'ip-addresses': [{ 'ip-address': '10.0.0.10', 'ip-address-type': 'ipv4', prefix: 24 }] }],
      });
    }
    // networks (issue 16): a VLAN made on node2, changed, removed, the pending file applied; a vnet made and deleted, a subnet in labnet
    values.iface = 'vmbr0.77';
    values.vnet = route.path.includes('/subnets') ? (route.method === 'GET' ? 'privnet' : 'labnet') : 'shapenet';
    if (route.path.startsWith('/nodes/{node}/network')) values.node = 'node2';
    if (route.path === '/nodes/{node}/network' && route.method === 'POST') Object.assign(params, { iface: 'vmbr0.77', type: 'vlan' });
    if (route.path === '/nodes/{node}/network/{iface}' && route.method === 'PUT') Object.assign(params, { type: 'vlan', comments: 'shape' });
    if (route.path === '/cluster/sdn/vnets' && route.method === 'POST') Object.assign(params, { vnet: 'shapenet', zone: 'lab', tag: '77' });
    if (route.path === '/cluster/sdn/vnets/{vnet}/subnets' && route.method === 'POST') Object.assign(params, { subnet: '10.77.0.0/24', type: 'subnet' });
    // a zone made and deleted, the subnet made above deleted
    values.zone = 'shapez';
    values.subnet = 'lab-10.77.0.0-24';
    if (route.path === '/cluster/sdn/zones' && route.method === 'POST') Object.assign(params, { zone: 'shapez', type: 'simple' });
    const path = route.path.replace(/\{(\w+)\}/g, (_m, n: string) => encodeURIComponent(values[n]));
    return { path, params };
  }

  // GETs first, then writes, so every GET sees the seeded objects
  const ordered = [...ROUTES].sort((a, b) => Number(a.method !== 'GET') - Number(b.method !== 'GET'));
  it.each(ordered.map((r) => [routeKey(r), r] as const))('%s answers in the declared shape', async (key, route) => {
    // an earlier write's task (a stop, a rollback) must not end after pathFor() has set the guest up
    await waitFor(() => [...sim.tasks.tasks.values()].every((t) => t.status === 'stopped'), 'the earlier tasks to end');
    const { path, params } = pathFor(route);
    const res = await call(route.method, path, params);
    expect(res.status, `${res.reason}`).toBe(200);
    const data = STRING_INTEGERS.has(key) && typeof res.body.data === 'string' && /^\d+$/.test(res.body.data) ? Number(res.body.data) : res.body.data;
    const problems = shapeProblems(schemaMethod(route).returns, data, 'data', KNOWN_EXTRAS[key] ?? []);
    expect(problems).toEqual([]);
  });

  it('answers /cluster/resources with the paused and stopped guests in shape', async () => {
    const res = await call('GET', '/cluster/resources');
    const data = res.body.data as Array<Record<string, unknown>>;
    expect(data.find((r) => r.id === 'qemu/102')?.status).toBe('paused');
    expect(new Set(data.map((r) => r.type))).toEqual(new Set(['qemu', 'lxc', 'node', 'storage']));
  });
});
