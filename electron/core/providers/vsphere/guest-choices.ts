// What the New VM wizard may offer on a vCenter or ESXi host: a blank VM for a
// few guest operating systems (installed from an ISO), the server's templates
// with their hardware as defaults, the hosts that can take a VM now, the
// datastores (free space, shared), the networks and distributed port groups,
// and the ISO images found on the datastores.
// Template ids: "new:<guestId>" or "template:<VM moref>".

import { PolyvisorError } from '../../../../shared/errors';
import type { CreateOptions, HostChoice, NetworkChoice, TemplateChoice } from '../../../../shared/guests';
import type { StorageChoice } from '../../../../shared/migration';
import { nodeId } from '../../../../shared/model';
import { datastoresOf, isosOn, networkChoiceId, networksOf, type DatastoreFacts } from './datacenter-resources';
import { guestDisks, quietReporter } from './guest-properties';
import type { InventoryModel } from './inventory-model';
import { retrieveObjects } from './property-collector';
import type { VimClient } from './vim-client';
import { readDevices } from './devices';
import { memoryOf } from './vm-config';
import { child, readNumber, text, type ManagedObjectReference } from './xml';

const GiB = 1024 ** 3;
const MB = 1024 * 1024;

/** Blank VMs: vSphere's guest OS identifiers (each one vcsim 0.24 and vSphere 6.5+ know). */
const NEW_VM_GUESTS: Array<{ guestId: string; name: string }> = [
  { guestId: 'otherGuest64', name: 'Other (64-bit)' },
  { guestId: 'ubuntu64Guest', name: 'Ubuntu Linux (64-bit)' },
  { guestId: 'debian10_64Guest', name: 'Debian GNU/Linux 10 (64-bit)' },
  { guestId: 'windows9Server64Guest', name: 'Microsoft Windows Server 2016 or later (64-bit)' },
];

export type TemplateSource =
  | { kind: 'new'; guestId: string }
  | { kind: 'template'; ref: string; name: string; host: string | null; datacenter: string | null };

export interface ChoicesContext {
  serverId: string;
  client: VimClient;
  model: InventoryModel | null;
  log?: (message: string) => void;
}

export function parseTemplateId(id: string, model: InventoryModel): TemplateSource {
  if (id.startsWith('new:')) {
    const guestId = id.slice('new:'.length);
    if (!/^[A-Za-z0-9_]+$/.test(guestId)) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'templateId', message: `${JSON.stringify(guestId)} is not a vSphere guest OS identifier.` });
    return { kind: 'new', guestId };
  }
  const ref = id.startsWith('template:') ? id.slice('template:'.length) : id;
  const template = model.guest(ref);
  if (!template?.template) throw new PolyvisorError({ code: 'NOT_FOUND', field: 'templateId', message: `The server has no template ${JSON.stringify(ref)}.` });
  return { kind: 'template', ref, name: template.name, host: template.host, datacenter: template.datacenter };
}

export async function createOptions(ctx: ChoicesContext): Promise<Omit<CreateOptions, 'serverId'>> {
  const model = ctx.model;
  if (!model) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: 'The inventory is still loading; try again in a moment.' });
  const datacenters = model.datacenters();
  const stores = (await Promise.all(datacenters.map((dc) => datastoresOf(ctx.client, dc)))).flat().filter((d) => d.accessible);
  const networks = (await Promise.all(datacenters.map((dc) => networksOf(ctx.client, dc)))).flat();
  return {
    templates: [...blankVms(), ...(await templateChoices(ctx, model))],
    hosts: await hostChoices(ctx, model),
    storages: storageChoices(stores),
    networks: networks.map((n, i): NetworkChoice => ({ id: networkChoiceId(n.ref), name: n.name, ...(i === 0 ? { isDefault: true } : {}) })),
    isos: await isosOn(ctx.client, stores, quietReporter(), ctx.log),
  };
}

function blankVms(): TemplateChoice[] {
  return NEW_VM_GUESTS.map((g) => ({
    id: `new:${g.guestId}`,
    name: `New virtual machine: ${g.name}`,
    makes: 'vm',
    vcpus: 1,
    memory: { sizeBytes: 2 * GiB },
    disks: [{ sizeBytes: 16 * GiB }],
    install: ['iso'],
  }));
}

async function templateChoices(ctx: ChoicesContext, model: InventoryModel): Promise<TemplateChoice[]> {
  const templates = model.templates();
  const refs: ManagedObjectReference[] = templates.map((t) => ({ type: 'VirtualMachine', value: t.ref }));
  const found = await retrieveObjects(ctx.client, refs, {
    VirtualMachine: ['name', 'config.annotation', 'config.hardware.numCPU', 'config.hardware.memoryMB', 'config.memoryAllocation', 'config.hardware.device', 'config.guestId'],
  });
  return found.map(({ obj, props }): TemplateChoice => {
    const devices = readDevices(props.get('config.hardware.device'));
    const disks = guestDisks({ devices, datastoreNames: new Map() });
    const memory = memoryOf(props);
    return {
      id: `template:${obj.value}`,
      nodeId: nodeId(ctx.serverId, 'template', obj.value),
      name: text(props.get('name'))?.trim() || obj.value,
      ...(text(props.get('config.annotation')) ? { description: text(props.get('config.annotation')) } : {}),
      makes: 'vm',
      ...(readNumber(props.get('config.hardware.numCPU')) !== undefined ? { vcpus: readNumber(props.get('config.hardware.numCPU')) } : {}),
      ...(memory ? { memory } : {}),
      disks: disks.map((d) => ({ sizeBytes: d.sizeBytes, ...(d.name ? { name: d.name } : {}) })),
      // Linux guest customization; a Windows guest would need Sysprep, which Polyvisor does not send
      install: /^win/i.test(text(props.get('config.guestId')) ?? '') ? [] : ['cloud-init'],
      copiesDisks: true,
    };
  });
}

/** Hosts that can take a VM now (connected, powered on, not in maintenance), with their free memory. */
async function hostChoices(ctx: ChoicesContext, model: InventoryModel): Promise<HostChoice[]> {
  const usable = model.hostList().filter((h) => h.connectionState === 'connected' && h.powerState === 'poweredOn' && !h.inMaintenance);
  const refs = usable.map((h) => ({ type: 'HostSystem', value: h.ref }));
  const stats = await retrieveObjects(ctx.client, refs, { HostSystem: ['summary.hardware.memorySize', 'summary.quickStats'] });
  const free = new Map(
    stats.map(({ obj, props }) => {
      const total = readNumber(props.get('summary.hardware.memorySize'));
      const usedMB = readNumber(child(props.get('summary.quickStats'), 'overallMemoryUsage'));
      return [obj.value, total !== undefined && usedMB !== undefined ? Math.max(0, total - usedMB * MB) : undefined];
    }),
  );
  return usable.map((h) => {
    const freeMemoryBytes = free.get(h.ref);
    return { hostId: nodeId(ctx.serverId, 'host', h.ref), name: h.name, ...(freeMemoryBytes !== undefined ? { freeMemoryBytes } : {}) };
  });
}

/** Reachable datastores; the one with the most free space is the default. */
function storageChoices(stores: DatastoreFacts[]): StorageChoice[] {
  const most = stores.reduce<DatastoreFacts | undefined>((best, d) => (!best || (d.freeBytes ?? 0) > (best.freeBytes ?? 0) ? d : best), undefined);
  return stores.map((d) => ({
    id: d.ref.value,
    name: d.name,
    ...(d.freeBytes !== undefined ? { freeBytes: d.freeBytes } : {}),
    ...(d.capacityBytes !== undefined ? { capacityBytes: d.capacityBytes } : {}),
    shared: d.shared,
    ...(d === most ? { isDefault: true } : {}),
  }));
}
