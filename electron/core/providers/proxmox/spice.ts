// SPICE for remote-viewer (issue 18): `POST …/qemu/{vmid}/spiceproxy` answers the
// fields of virt-viewer's connection file (an opaque pvespiceproxy host token, the
// node's spiceproxy, a one-time password, the cluster CA with its line breaks already
// written as `\n`), which become a `.vv` file's `[virt-viewer]` section, as PVE's own
// UI writes it. The password is a secret: the file goes only to the viewer.

import { PolyvisorError } from '../../../../shared/errors';
import type { ExternalConsoleMaterial } from '../provider';
import { requireObject } from './answers';
import type { PveClient } from './client';
import type { PveGuestRef } from './console';

/** What remote-viewer needs at least; PVE sends the rest (title, keys, delete-this-file) too. */
const REQUIRED = ['type', 'host', 'proxy', 'tls-port', 'password'] as const;

export async function spiceViewerFile(client: PveClient, guest: PveGuestRef): Promise<ExternalConsoleMaterial> {
  if (guest.type !== 'qemu') throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${guest.name} is a container: only Proxmox VE VMs have a SPICE display.` });
  if (guest.status !== 'running') throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${guest.name} is ${guest.status || 'not running'}: SPICE is there only while it runs.`, serverCode: guest.status });
  const { host } = await client.connectionInfo();
  // the spiceproxy of the node the user reaches the API on, as PVE's web UI asks for it
  const answer = await client.post(`/nodes/${encodeURIComponent(guest.node)}/qemu/${guest.vmid}/spiceproxy`, readSpiceConfig, { proxy: host });
  return { file: { name: `pve-spice-${guest.vmid}.vv`, content: virtViewerFile(answer) } };
}

export function readSpiceConfig(data: unknown, where: string): Record<string, string | number> {
  const o = requireObject(data, where);
  const missing = REQUIRED.filter((k) => o[k] === undefined || o[k] === '');
  if (missing.length) throw new PolyvisorError({ code: 'SERVER_ERROR', message: `${where} answered a SPICE configuration without ${missing.join(', ')}.` });
  if (o.type !== 'spice') throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${where} offers a ${String(o.type)} display, not SPICE.`, serverCode: String(o.type) });
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(o)) {
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    // one key per line: a value with a line break would smuggle in another key
    if (!/^[a-z][a-z-]*$/.test(k) || /[\r\n\0]/.test(String(v))) throw new PolyvisorError({ code: 'SERVER_ERROR', message: `${where} answered a SPICE setting that cannot go into a .vv file (${k}).` });
    out[k] = v;
  }
  return out;
}

/** virt-viewer's connection file: one `[virt-viewer]` section, `key=value` per line. */
export function virtViewerFile(config: Record<string, string | number>): string {
  return `[virt-viewer]\n${Object.entries(config)
    .map(([k, v]) => `${k}=${v}\n`)
    .join('')}`;
}
