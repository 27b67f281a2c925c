// What the Infrastructure view shows for a simulated Proxmox VE cluster, computed
// from the simulator's own state: server → cluster → nodes → their guests
// (qemu VMs and LXC containers, stopped ones too), storages and networks; templates hidden.
import type { ProxmoxSimulator } from '../sim/proxmox/index';
import { sdnOf } from '../sim/proxmox/sdn-state';

export function expectedPvePaths(serverName: string, sim: ProxmoxSimulator): string[] {
  const cluster = `${serverName}/${sim.state.clusterName}`;
  const paths = [serverName, cluster];
  for (const node of sim.state.nodes.values()) paths.push(`${cluster}/${node.name}`);
  for (const g of sim.state.guests.values()) if (!g.template) paths.push(`${cluster}/${g.node}/${g.name}`);
  // storage (issue 16): a local storage under its node, a shared one once under the cluster
  const storages = new Set(sim.state.storage.map((st) => (st.shared ? `${cluster}/${st.storage}` : `${cluster}/${st.node}/${st.storage}`)));
  paths.push(...storages);
  // networks (issue 16): a node's bridges, bonds and VLANs under it, the SDN zones and vnets under the cluster
  for (const i of sim.state.interfaces) if (i.type === 'bridge' || i.type === 'bond' || i.type === 'vlan') paths.push(`${cluster}/${i.node}/${i.iface}`);
  for (const vnet of sdnOf(sim.state).running.vnets.keys()) paths.push(`${cluster}/${vnet}`);
  for (const zone of sdnOf(sim.state).running.zones.keys()) paths.push(`${cluster}/${zone}`);
  return paths.sort();
}
