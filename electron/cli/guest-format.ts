// Text the guest commands print: what a delete destroys and keeps, a guest's
// properties, and image/volume lists. Sizes in binary units (shared/sizes.ts).

import type { DeletePlan, GuestProperties, MemoryConfig } from '../../shared/guests';
import type { InventoryNode } from '../../shared/model';
import { formatSize } from '../../shared/sizes';

/** Per item: its state and snapshots, then each disk destroyed or kept (kept: asked to, or used by another VM). */
export function formatDeletePlan(plan: DeletePlan, keepDisks: boolean): string {
  return plan.items
    .map((item) => {
      const facts = [item.running ? 'running' : undefined, item.snapshots ? `${item.snapshots} snapshot${item.snapshots === 1 ? '' : 's'} deleted with it` : undefined].filter(Boolean);
      const head = `${item.name}${facts.length ? ` (${facts.join(', ')})` : ''}`;
      const disks = item.disks.map((d) => {
        const shared = d.sharedWith?.length ? ` (also used by ${d.sharedWith.join(', ')})` : '';
        const verb = keepDisks || shared ? 'keep   ' : 'destroy';
        const where = [d.sizeBytes === undefined ? undefined : formatSize(d.sizeBytes), d.storageName ? `on ${d.storageName}` : undefined].filter(Boolean).join(' ');
        return `  ${verb} ${d.name}${where ? `  ${where}` : ''}${shared}`;
      });
      return [head, ...(disks.length ? disks : ['  no disks'])].join('\n');
    })
    .join('\n');
}

export function formatProperties(p: GuestProperties): string {
  const rows: Array<[string, string | undefined]> = [
    ['Name', p.name],
    ['Description', p.description || undefined],
    ['vCPUs', p.vcpus === undefined ? undefined : `${p.vcpus}${p.vcpusMax ? ` (at most ${p.vcpusMax} without a restart)` : ''}`],
    ...memoryRows(p.memory),
    ['CPU limit', p.cpuLimit === undefined ? undefined : `${p.cpuLimit} cores`],
    ['CD/DVD', p.cd === undefined ? undefined : p.cd.isoId === null ? 'empty' : (p.cd.isoName ?? p.cd.isoId)],
    ['Boot order', p.bootOrder?.join(', ')],
    ['Hot add', p.hotAdd === undefined ? undefined : `CPU ${p.hotAdd.cpu ? 'on' : 'off'}, memory ${p.hotAdd.memory ? 'on' : 'off'} (while running: ${hotAddWords(p.hotAdd)})`],
    ['Start automatically', p.autoStart === undefined ? undefined : p.autoStart ? 'on' : 'off'],
    ['Restart policy', p.restartPolicy],
    ['Tags', p.tags.length ? p.tags.join(', ') : undefined],
  ];
  const disks = p.disks.map((d) => `  ${d.device ? `${d.device}: ` : ''}${d.name}  ${formatSize(d.sizeBytes)}${d.storageName ? ` on ${d.storageName}` : ''}`);
  const nics = p.nics.map((n) => `  ${n.device ? `${n.device}: ` : ''}${n.networkName}${n.mac ? `  ${n.mac}` : ''}${n.ips?.length ? `  ${n.ips.join(', ')}` : ''}`);
  return [
    ...rows.filter((r): r is [string, string] => r[1] !== undefined).map(([k, v]) => `${`${k}:`.padEnd(22)}${v}`),
    ...(disks.length ? ['Disks:', ...disks] : []),
    ...(nics.length ? ['Networks:', ...nics] : []),
  ].join('\n');
}

/** What `vm set` may change while the VM runs, by its hot add (vSphere). */
function hotAddWords(hotAdd: NonNullable<GuestProperties['hotAdd']>): string {
  const live = [hotAdd.cpu ? 'more vCPUs' : '', hotAdd.memory ? 'more memory' : ''].filter(Boolean);
  return live.length ? live.join(' and ') : 'neither vCPUs nor memory';
}

function memoryRows(m: MemoryConfig | undefined): Array<[string, string | undefined]> {
  if (!m) return [];
  const size = (n: number | undefined) => (n === undefined ? undefined : formatSize(n));
  const dynamic = m.dynamicMinBytes !== undefined && m.dynamicMaxBytes !== undefined ? `${formatSize(m.dynamicMinBytes)} .. ${formatSize(m.dynamicMaxBytes)}` : undefined;
  return [
    ['Memory', m.sizeBytes ? formatSize(m.sizeBytes) : 'no limit'],
    ['Memory static minimum', size(m.staticMinBytes)],
    ['Memory dynamic range', dynamic],
    ['Memory in use', size(m.actualBytes)],
    ['Memory reservation', size(m.reservationBytes)],
    ['Memory limit', size(m.limitBytes)],
    ['Memory shares', m.shares === undefined ? undefined : String(m.shares)],
  ];
}

/** One line per image or volume: name, size where the engine says, and whether a container uses it. */
export function formatHousekeepingList(nodes: InventoryNode[], serverName: (id: string) => string): string {
  return nodes
    .map((n) => {
      const size = typeof n.props.size === 'number' ? formatSize(n.props.size) : '';
      return [n.name, size, serverName(n.serverId), n.nativeRef].filter(Boolean).join('  ');
    })
    .join('\n');
}
