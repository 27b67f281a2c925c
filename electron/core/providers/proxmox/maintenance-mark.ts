// Node maintenance on Proxmox VE. PVE's own is HA node maintenance ("maintenance
// mode" in the HA status), which only `ha-manager crm-command node-maintenance
// enable|disable <node>` sets: the API has no call for it. So Polyvisor, after
// moving every guest away, marks the node in its notes (PUT /nodes/{node}/config
// description, shown in the web UI's node Notes panel) on a line of its own, and
// reads both: the HA status and that mark.

import { toErrorInfo } from '../../../../shared/errors';
import type { ProviderConfig } from '../provider';
import type { PveClient } from './client';
import type { ClusterCache } from './cluster-cache';
import { readHaMaintenance, readNodeNotes } from './migration-answers';
import { forEachLimited } from '../common/concurrency';

/** Nodes whose notes or interfaces are read at once at load (the client keeps 8 sockets). */
export const NODES_AT_ONCE = 8;

export const MAINTENANCE_MARK = '[polyvisor:maintenance] guests moved away for maintenance';

const lines = (notes: string) => (notes ? notes.split('\n') : []);

export function hasMaintenanceMark(notes: string): boolean {
  return lines(notes).some((l) => l.replace(/\r$/, '') === MAINTENANCE_MARK);
}

/** The notes with the mark on their last line (once). */
export function withMaintenanceMark(notes: string): string {
  return hasMaintenanceMark(notes) ? notes : [...lines(notes), MAINTENANCE_MARK].join('\n');
}

export function withoutMaintenanceMark(notes: string): string {
  return lines(notes)
    .filter((l) => l.replace(/\r$/, '') !== MAINTENANCE_MARK)
    .join('\n');
}

export const nodePath = (node: string) => `/nodes/${encodeURIComponent(node)}`;

/** Failures a poll can live with: the server answered (no HA, no permission), the rest ends the session. */
export function tolerable(err: unknown): boolean {
  const code = toErrorInfo(err).code;
  return code === 'SERVER_ERROR' || code === 'INVALID_INPUT' || code === 'NOT_FOUND';
}

/** Reads the HA status every poll and the nodes' config (notes, wake-on-LAN MAC) in rotation, all of them at load; an offline node's stays as last read. */
export class MaintenanceWatch {
  private cursor = 0;

  constructor(
    private readonly client: PveClient,
    private readonly cache: ClusterCache,
    private readonly log?: ProviderConfig['log'],
  ) {}

  async read(signal: AbortSignal, allNotes: boolean): Promise<void> {
    try {
      this.cache.setHaMaintenance(await this.client.get('/cluster/ha/status/current', readHaMaintenance, undefined, signal));
    } catch (err) {
      if (!tolerable(err)) throw err;
      this.log?.('debug', `${this.client.name}: HA status not read: ${toErrorInfo(err).message}`);
    }
    const online = this.cache
      .hostFacts()
      .filter((h) => h.online)
      .map((h) => h.name);
    const pick = allNotes ? online : online.length ? [online[this.cursor++ % online.length]] : [];
    await forEachLimited(pick, NODES_AT_ONCE, (node) => this.readNotes(node, signal));
  }

  async readNotes(node: string, signal?: AbortSignal): Promise<void> {
    try {
      const config = await this.client.get(`${nodePath(node)}/config`, readNodeNotes, undefined, signal);
      this.cache.setNodeConfig(node, { marked: hasMaintenanceMark(config.description), wakeOnLan: config.wakeOnLan });
    } catch (err) {
      if (!tolerable(err)) throw err;
      this.log?.('debug', `${this.client.name}: notes of ${node} not read: ${toErrorInfo(err).message}`);
    }
  }
}
