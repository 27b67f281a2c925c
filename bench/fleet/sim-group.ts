// One child process serving several simulated pools (XAPI) and clusters (Proxmox), each on
// a port of its own: the fleet's simulators stay off the bench's event loop, which is the
// core's. Driven over the IPC channel (sim-groups.ts is the parent's side):
//   → ready { servers }            once every pool listens
//   ← churn { perSecond, spare }   power changes on random XAPI VMs at this rate (VMs named in `spare` are left alone)
//   ← stop-churn                   → churned { events }
//   ← toggle { id, pool, name }    → toggled { id, at, state }: one VM's power flipped, `at` in wall-clock ms
// Power changes go through the simulator's own object store, which raises the XAPI events
// event.from hands to the client, exactly as a VM started or stopped by someone else.
import { startXapiSimulator, type XapiSimulator } from '../../test/sim/xapi/index';
import { NULL_REF } from '../../test/sim/xapi/model';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../../test/sim/proxmox/index';
import type { SimulatedSpec } from './plan';
import { Pacer, shareRate } from './pacer';

export interface GroupServer {
  name: string;
  kind: SimulatedSpec['kind'];
  host: string;
  port: number;
  fingerprint256: string;
}

export type ToGroup =
  | { op: 'churn'; perSecond: number; spare: string[] }
  | { op: 'stop-churn' }
  | { op: 'toggle'; id: number; pool: number; name: string };

export type FromGroup =
  | { op: 'ready'; servers: GroupServer[] }
  | { op: 'churned'; events: number }
  | { op: 'toggled'; id: number; at: number; state: string }
  | { op: 'failed'; id?: number; message: string };

const wallNow = () => performance.timeOrigin + performance.now();
const TICK_MS = 10;

type Running = { spec: SimulatedSpec; xapi?: XapiSimulator; proxmox?: ProxmoxSimulator };

function send(msg: FromGroup): void {
  process.send!(msg);
}

/** The pool's guest VMs (no templates, no control domains, no snapshots) by name. */
function guestVms(sim: XapiSimulator): Map<string, string> {
  const byName = new Map<string, string>();
  for (const [ref, vm] of sim.db.records('VM')) {
    if (vm.is_a_template || vm.is_control_domain || vm.is_a_snapshot) continue;
    byName.set(String(vm.name_label), ref);
  }
  return byName;
}

/** Running ↔ Halted (a suspended or paused VM starts), as VM.start / VM.hard_shutdown leave the record. */
function flipPower(sim: XapiSimulator, ref: string): string {
  const vm = sim.db.get('VM', ref)!;
  const running = vm.power_state === 'Running';
  const host = vm.affinity && vm.affinity !== NULL_REF ? vm.affinity : [...sim.db.records('host').keys()][0]!;
  const state = running ? 'Halted' : 'Running';
  sim.db.update('VM', ref, { power_state: state, resident_on: running ? NULL_REF : host });
  return state;
}

async function start(spec: SimulatedSpec): Promise<Running> {
  if (spec.kind === 'xapi') {
    const xapi = await startXapiSimulator({ generate: { hosts: spec.hosts, vms: spec.vms, snapshots: spec.snapshots }, poolName: spec.name });
    return { spec, xapi };
  }
  const proxmox = await startProxmoxSimulator({ port: 0, generate: { nodes: spec.nodes, vms: spec.vms, cts: spec.cts } });
  return { spec, proxmox };
}

const specs = JSON.parse(process.argv[2] ?? '[]') as SimulatedSpec[];
const running: Running[] = [];
for (const spec of specs) running.push(await start(spec)); // one at a time: generating is CPU-bound
const vmsOf = running.map((r) => (r.xapi ? guestVms(r.xapi) : new Map<string, string>()));
send({
  op: 'ready',
  servers: running.map((r) => {
    const sim = (r.xapi ?? r.proxmox)!;
    return { name: r.spec.name, kind: r.spec.kind, host: sim.host, port: sim.port, fingerprint256: sim.fingerprint256 };
  }),
});

let churn: { timer: NodeJS.Timeout; pacers: Pacer[]; refs: string[][] } | null = null;

function startChurn(perSecond: number, spare: Set<string>): void {
  const refs = running.map((r, i) => (r.xapi ? [...vmsOf[i]!].filter(([name]) => !spare.has(name)).map(([, ref]) => ref) : []));
  const shares = shareRate(perSecond, refs.map((list) => list.length));
  const t0 = performance.now();
  const pacers = shares.map((share) => new Pacer(share, t0));
  const timer = setInterval(() => {
    const now = performance.now();
    pacers.forEach((pacer, i) => {
      const list = refs[i]!;
      for (let n = pacer.due(now); n > 0; n--) flipPower(running[i]!.xapi!, list[Math.floor(Math.random() * list.length)]!);
    });
  }, TICK_MS);
  churn = { timer, pacers, refs };
}

function stopChurn(): number {
  if (!churn) return 0;
  clearInterval(churn.timer);
  const events = churn.pacers.reduce((n, p) => n + p.total(), 0);
  churn = null;
  return events;
}

process.on('message', (msg: ToGroup) => {
  try {
    if (msg.op === 'churn') startChurn(msg.perSecond, new Set(msg.spare));
    else if (msg.op === 'stop-churn') send({ op: 'churned', events: stopChurn() });
    else if (msg.op === 'toggle') {
      const sim = running[msg.pool]?.xapi;
      const ref = vmsOf[msg.pool]?.get(msg.name);
      if (!sim || !ref) throw new Error(`no XAPI VM "${msg.name}" in pool ${msg.pool}`);
      const at = wallNow();
      const state = flipPower(sim, ref);
      send({ op: 'toggled', id: msg.id, at, state });
    }
  } catch (err) {
    send({ op: 'failed', id: 'id' in msg ? msg.id : undefined, message: (err as Error).message });
  }
});

const shutdown = async () => {
  stopChurn();
  await Promise.all(running.map((r) => (r.xapi ?? r.proxmox)!.stop()));
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('disconnect', () => void shutdown());
