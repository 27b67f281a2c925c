// What a running VM's QEMU guest agent reports, asked when the user picks Remote Desktop
// or SSH (issue 18): its OS (get-osinfo: "Debian GNU/Linux 12 (bookworm)", "Microsoft
// Windows …") and its addresses (network-get-interfaces, loopback left out).

import { PolyvisorError, isPolyvisorError } from '../../../../shared/errors';
import { requireObject } from './answers';
import type { PveClient } from './client';
import type { PveGuestRef } from './console';

export async function guestAgentFacts(client: PveClient, guest: PveGuestRef): Promise<{ os: string | null; ips: string[] }> {
  if (guest.type !== 'qemu') throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${guest.name} is a container: it has no guest agent to report its OS and address.` });
  const base = `/nodes/${encodeURIComponent(guest.node)}/qemu/${guest.vmid}/agent`;
  try {
    const [osinfo, interfaces] = await Promise.all([client.get(`${base}/get-osinfo`, readOsName), client.get(`${base}/network-get-interfaces`, readAddresses)]);
    return { os: osinfo, ips: interfaces };
  } catch (err) {
    if (isPolyvisorError(err, 'SERVER_ERROR')) {
      // "QEMU guest agent is not running", "No QEMU guest agent configured": the guest has to say it itself
      throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${guest.name}'s guest agent did not report its OS and address: ${err.message}`, serverCode: err.info.serverCode }, { cause: err });
    }
    throw err;
  }
}

function resultOf(data: unknown, where: string): unknown {
  return requireObject(data, where).result;
}

function readOsName(data: unknown, where: string): string | null {
  const info = resultOf(data, where);
  if (typeof info !== 'object' || info === null) return null;
  const o = info as Record<string, unknown>;
  const name = [o['pretty-name'], o.name, o.id].find((v) => typeof v === 'string' && v.trim());
  return (name as string | undefined) ?? null;
}

function readAddresses(data: unknown, where: string): string[] {
  const list = resultOf(data, where);
  if (!Array.isArray(list)) return [];
  return list
    .filter((i): i is Record<string, unknown> => typeof i === 'object' && i !== null && i.name !== 'lo')
    .flatMap((i) => (Array.isArray(i['ip-addresses']) ? i['ip-addresses'] : []))
    .map((a) => (a as Record<string, unknown>)['ip-address'])
    .filter((a): a is string => typeof a === 'string' && a !== '');
}
