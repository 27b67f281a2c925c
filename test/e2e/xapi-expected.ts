// What XenCenter's Infrastructure view shows for a simulated XAPI pool, computed
// from the simulator's own records: pool (unless named as its server) → hosts → VMs resident on each host;
// halted VMs under the pool; no control domains, templates or snapshots; SRs where XenCenter puts them.
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
  // storage (issue 16): an SR that is not shared and has one PBD under that PBD's host, any other under the pool;
  // XenCenter hides the tools SR, `local`/`tmpfs` SRs, DR-introduced ones, HideFromXenCenter and __gui__ names
  const pbds = [...sim.db.records('PBD').values()];
  for (const [ref, sr] of sim.db.records('SR')) {
    const other = (sr.other_config ?? {}) as Record<string, string>;
    const label = String(sr.name_label);
    if (label.startsWith('__gui__') || ['local', 'tmpfs'].includes(String(sr.type)) || label === 'XenServer Tools' || sr.is_tools_sr === true) continue;
    if (isRef(sr.introduced_by) || other.HideFromXenCenter === 'true') continue;
    const own = pbds.filter((p) => p.SR === ref);
    const home = sr.shared !== true && own.length === 1 ? hostPath.get(String(own[0]!.host)) : undefined;
    paths.push(`${home ?? poolPath ?? [...hostPath.values()][0]}/${label}`);
  }
  // networks (issue 16): under the pool, but not the guest installer network, one with a hidden PIF or a bond's
  // member NIC, or one marked HideFromXenCenter; xapi's default names read as the NIC ("Network 0") on the master
  const pifs = [...sim.db.records('PIF').values()];
  for (const [ref, network] of sim.db.records('network')) {
    const other = (network.other_config ?? {}) as Record<string, string>;
    const own = pifs.filter((p) => p.network === ref);
    if (other.is_guest_installer_network === 'true' || other.HideFromXenCenter === 'true') continue;
    if (own.some((p) => isRef(p.bond_slave_of) || ((p.other_config ?? {}) as Record<string, string>).HideFromXenCenter === 'true')) continue;
    let label = String(network.name_label);
    const nic = own.find((p) => p.host === pool.master) ?? own[0];
    if (nic && /^(Pool-wide network|Network) associated with /.test(label)) label = `Network ${String(nic.device).replace('eth', '')}`;
    paths.push(`${poolPath ?? [...hostPath.values()][0]}/${label}`);
  }
  return paths.sort();
}
