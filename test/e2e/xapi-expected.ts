// What XenCenter's Infrastructure view shows for a simulated XAPI pool, computed
// from the simulator's own records: pool (unless named as its server) → hosts → VMs resident on each host;
// halted VMs under the pool; no control domains, templates or snapshots.
import type { XapiSimulator } from '../sim/xapi/index';

const isRef = (v: unknown): v is string => typeof v === 'string' && v.startsWith('OpaqueRef:') && v !== 'OpaqueRef:NULL';

export function expectedPaths(serverName: string, sim: XapiSimulator): string[] {
  const pools = [...sim.db.records('pool').values()];
  const hosts = sim.db.records('host');
  const pool = pools[0];
  const standalone = pool.name_label === '' && hosts.size <= 1;
  const poolName = pool.name_label === '' ? String(hosts.get(pool.master as string)?.name_label ?? '') : String(pool.name_label);
  const paths: string[] = [serverName];
  // XenCenter shows a pool as its connection: a server named as its pool has no pool row of its own
  const sameName = poolName.trim().toLowerCase() === serverName.trim().toLowerCase();
  const poolPath = standalone || sameName ? null : `${serverName}/${poolName}`;
  if (poolPath) paths.push(poolPath);
  const hostPath = new Map<string, string>();
  for (const [ref, host] of hosts) {
    const p = `${poolPath ?? serverName}/${host.name_label}`;
    hostPath.set(ref, p);
    paths.push(p);
  }
  for (const vm of sim.db.records('VM').values()) {
    if (vm.is_a_template || vm.is_a_snapshot || vm.is_control_domain) continue;
    const onHost = vm.power_state !== 'Halted' && isRef(vm.resident_on) && hostPath.has(vm.resident_on);
    const parent = onHost ? hostPath.get(vm.resident_on as string)! : (poolPath ?? [...hostPath.values()][0]);
    paths.push(`${parent}/${vm.name_label}`);
  }
  return paths.sort();
}
