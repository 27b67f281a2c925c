// What the Infrastructure view shows for a simulated Proxmox VE cluster, computed
// from the simulator's own state: server → cluster → nodes → their guests
// (qemu VMs and LXC containers, stopped ones too); templates hidden.
import type { ProxmoxSimulator } from '../sim/proxmox/index';

export function expectedPvePaths(serverName: string, sim: ProxmoxSimulator): string[] {
  const cluster = `${serverName}/${sim.state.clusterName}`;
  const paths = [serverName, cluster];
  for (const node of sim.state.nodes.values()) paths.push(`${cluster}/${node.name}`);
  for (const g of sim.state.guests.values()) if (!g.template) paths.push(`${cluster}/${g.node}/${g.name}`);
  return paths.sort();
}
