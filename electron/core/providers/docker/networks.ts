// Docker networks (issue 16): a network's containers (`GET /networks/{id}`), making one
// (`POST /networks/create` with a driver and an optional IPAM subnet) and removing it,
// and a container's networks as its NICs (its NetworkSettings), joined and left with
// `network connect/disconnect`; moving a NIC is leaving one network and joining the
// other. The engine's refusals (a network in use, a predefined one) are its own.

import { PolyvisorError } from '../../../../shared/errors';
import { nodeId } from '../../../../shared/model';
import type { NetworkAttachment, NetworkDraft, NicInfo } from '../../../../shared/networks';
import type { ActionResult, TaskReporter } from '../provider';
import type { GuestTarget, ProviderNetworks } from '../provider-networks';
import type { EngineAccess } from './images';

type Guarded = <T>(what: string, work: (engine: EngineAccess) => Promise<T>) => Promise<T>;

const DRIVERS = ['bridge', 'macvlan', 'ipvlan'];

function record(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** "172.18.0.2/16" → "172.18.0.2" */
function address(cidr: unknown): string {
  return text(cidr).split('/')[0] ?? '';
}

async function refreshNetworks(engine: EngineAccess, containers: string[] = []): Promise<void> {
  await engine.session.refreshNow(containers, [], false, false, true);
}

export function dockerNetworks(guarded: Guarded): ProviderNetworks {
  return {
    details: (ref) =>
      guarded('Reading a network', async (engine) => {
        const info = record(await engine.docker.getNetwork(ref).inspect());
        const attached: NetworkAttachment[] = Object.entries(record(info.Containers)).map(([id, raw]) => {
          const c = record(raw);
          const ips = [address(c.IPv4Address), address(c.IPv6Address)].filter(Boolean);
          return { guestId: nodeId(engine.serverId, 'container', id), guestName: text(c.Name), device: text(info.Name), mac: text(c.MacAddress) || null, ips };
        });
        attached.sort((a, b) => a.guestName.localeCompare(b.guestName));
        return { interfaces: [], attached };
      }),
    createOptions: async () => ({ kinds: ['container'], devices: [], parents: [], drivers: DRIVERS }),
    create: (draft, task) =>
      guarded(`Creating network ${draft.name}`, async (engine) => {
        if (draft.kind !== 'container') throw new PolyvisorError({ code: 'UNSUPPORTED', message: `A Docker engine makes Docker networks, not ${draft.kind}.` });
        const created = record(
          await engine.docker.createNetwork({
            Name: draft.name,
            Driver: draft.driver ?? 'bridge',
            CheckDuplicate: true,
            ...(draft.subnet ? { IPAM: { Driver: 'default', Config: [{ Subnet: draft.subnet }] } } : {}),
            ...(draft.mtu ? { Options: { 'com.docker.network.driver.mtu': String(draft.mtu) } } : {}),
          }),
        );
        await refreshNetworks(engine);
        task.progress(1);
        return { resultId: nodeId(engine.serverId, 'network', text(created.id) || text(created.Id)) };
      }),
    destroy: (ref, task) =>
      guarded('Removing a network', async (engine) => {
        await engine.docker.getNetwork(ref).remove();
        await refreshNetworks(engine);
        task.progress(1);
        return {};
      }),
    nics: (guest) =>
      guarded('Reading a container’s networks', async (engine) => {
        const info = record(await engine.docker.getContainer(guest.nativeRef).inspect());
        const networks = record(record(info.NetworkSettings).Networks);
        const running = record(info.State).Running === true;
        return Object.entries(networks)
          .map(([name, raw]): NicInfo => {
            const n = record(raw);
            const ips = [text(n.IPAddress), text(n.GlobalIPv6Address)].filter(Boolean);
            const id = text(n.NetworkID);
            return { id: name, device: name, networkId: id ? nodeId(engine.serverId, 'network', id) : null, networkName: name, mac: text(n.MacAddress) || null, ips, connected: running ? true : null };
          })
          .sort((a, b) => a.device.localeCompare(b.device));
      }),
    addNic: (guest, networkRef, task) => guarded('Connecting a container to a network', (engine) => connect(engine, guest, networkRef, task)),
    removeNic: (guest, nicId, task) =>
      guarded('Disconnecting a container from a network', async (engine) => {
        await engine.docker.getNetwork(nicId).disconnect({ Container: guest.nativeRef });
        await refreshNetworks(engine, [guest.nativeRef]);
        task.progress(1);
        return {};
      }),
    moveNic: (guest, nicId, networkRef, task) =>
      guarded('Moving a container to another network', async (engine) => {
        await engine.docker.getNetwork(networkRef).connect({ Container: guest.nativeRef });
        task.progress(0.5);
        await engine.docker.getNetwork(nicId).disconnect({ Container: guest.nativeRef });
        await refreshNetworks(engine, [guest.nativeRef]);
        task.progress(1);
        return {};
      }),
  };
}

async function connect(engine: EngineAccess, guest: GuestTarget, networkRef: string, task: TaskReporter): Promise<ActionResult> {
  await engine.docker.getNetwork(networkRef).connect({ Container: guest.nativeRef });
  await refreshNetworks(engine, [guest.nativeRef]);
  task.progress(1);
  return {};
}

