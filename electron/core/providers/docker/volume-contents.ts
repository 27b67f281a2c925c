// What uses a named volume (issue 16, a Docker volume's storage tab): the engine's own
// answer to "containers with this volume" (GET /containers/json?filters={"volume":[…]}),
// one row per mount — a container may mount the volume at several paths.

import { nodeId } from '../../../../shared/model';
import type { StorageDisk } from '../../../../shared/storage';
import type { EngineAccess } from './images';

export async function volumeContents(engine: EngineAccess, volume: string): Promise<StorageDisk[]> {
  const containers = await engine.docker.listContainers({ all: true, filters: { volume: [volume] } });
  const rows: StorageDisk[] = [];
  for (const c of containers) {
    const name = (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, '');
    for (const m of c.Mounts ?? []) {
      if (m.Type !== 'volume' || m.Name !== volume) continue;
      rows.push({
        ref: `${c.Id}:${m.Destination}`,
        name: `${name}:${m.Destination}`,
        size: null,
        snapshot: false,
        content: m.RW ? 'mount' : 'mount (ro)',
        usedBy: [{ id: nodeId(engine.serverId, 'container', c.Id), name }],
      });
    }
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}
