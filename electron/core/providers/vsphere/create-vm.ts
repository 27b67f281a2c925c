// The New VM wizard's answer on vSphere, as one Polyvisor task of server tasks:
//   a new VM   CreateVM_Task in the datacenter's VM folder, in the host's root resource
//              pool: guest OS, vCPUs, memory with its allocation, an LSI Logic SAS
//              controller with thin disks on the chosen datastores, VMXNET 3 adapters
//   a template CloneVM_Task of it (pool, host, datastore of the first disk), then one
//              ReconfigVM_Task with what differs: vCPUs, memory, annotation, disks grown
//              or added, adapters moved or added
// then, with customization fields, CustomizeVM_Task (customization.ts); with an ISO, a
// CD/DVD drive on the VM's IDE controller (which vSphere adds to every new VM), and
// PowerOnVM_Task when asked. Each step's progress is the server's.

import { PolyvisorError } from '../../../../shared/errors';
import { nodeId } from '../../../../shared/model';
import { taskStep } from '../common/task-steps';
import type { ActionResult, ProviderCreateSpec, TaskReporter } from '../provider';
import { addDisk, addNic, addScsiController, configSpec, growDisk, repointNic, type NetworkTarget } from './config-spec';
import { datastoresOf, resolveDatastore, resolveNetwork } from './datacenter-resources';
import { disksOf, nicsOf, scsiControllersOf } from './devices';
import { cdChange } from './guest-configure';
import { runVmTask, type GuestActionContext } from './guest-actions';
import { parseTemplateId, type TemplateSource } from './guest-choices';
import { rootPool } from './migration';
import type { HostFacts } from './migration-rules';
import { retrieveOne } from './property-collector';
import { readVmConfig, type VmConfig } from './vm-config';
import { el, moRef, readMoRef, readMoRefArray, type ManagedObjectReference, type Xml } from './xml';
import { refuseShrinking } from '../common/disk-growth';
import { checkedCustomization, customizationSpec } from './customization';

const GiB = 1024 ** 3;
const NEW_SCSI_KEY = -1000;
const NEW_DISK_KEY = -1100;
const NEW_NIC_KEY = -2000;
/** SCSI unit 7 is the controller's own */
const SCSI_UNITS = [0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15];

type Datastore = { ref: ManagedObjectReference; name: string };

export async function createGuest(ctx: GuestActionContext, spec: ProviderCreateSpec, task: TaskReporter): Promise<ActionResult> {
  // customization is checked before anything is cloned
  const customization = spec.cloudInit ? checkedCustomization(spec.cloudInit) : null;
  if (spec.container) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'container', message: 'vSphere makes virtual machines, not containers.' });
  const model = ctx.model;
  if (!model) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: 'The inventory is still loading; try again in a moment.' });
  const source = parseTemplateId(spec.templateId, model);
  if (customization && source.kind !== 'template') throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'cloudInit', message: 'Guest customization applies to a VM made from a template.' });
  const host = chooseHost(ctx, spec.hostRef, source);
  const pool = await rootPool(ctx.client, host);
  const chosen = spec.hostRef ? { type: 'HostSystem', value: host.ref } : undefined;
  const networks = await Promise.all((spec.networks ?? []).map((n) => resolveNetwork(ctx.client, n.networkId)));
  const made =
    source.kind === 'new'
      ? await createNew(ctx, spec, source.guestId, { host, pool, chosen, networks }, taskStep(task, 0, 0.7))
      : await cloneTemplate(ctx, spec, source, { pool, chosen, networks }, taskStep(task, 0, 0.7));
  if (customization) {
    const vm = await readVmConfig(ctx.client, made.value);
    await runVmTask(ctx.client, 'CustomizeVM_Task', made, [customizationSpec(customization, nicsOf(vm.devices).length)], taskStep(task, 0.7, 0.75), `Customize ${spec.name}`);
  }
  if (spec.isoId) {
    const vm = await readVmConfig(ctx.client, made.value);
    await reconfigure(ctx, vm, [cdChange(vm, spec.isoId)], {}, taskStep(task, 0.7, 0.85), `Insert ${spec.isoId} in ${spec.name}`);
  }
  if (spec.start) await runVmTask(ctx.client, 'PowerOnVM_Task', made, [], taskStep(task, 0.85, 1), `Power on ${spec.name}`);
  await ctx.reread([made]);
  task.progress(1);
  return { resultId: nodeId(ctx.serverId, 'vm', made.value) };
}

/** The chosen host, else the template's, else the first of the datacenter that can run a VM now. */
function chooseHost(ctx: GuestActionContext, hostRef: string | undefined, source: TemplateSource): HostFacts {
  const model = ctx.model!;
  const ref = hostRef ?? (source.kind === 'template' ? source.host : null);
  if (ref) {
    const host = model.host(ref);
    if (!host) throw new PolyvisorError({ code: 'NOT_FOUND', field: 'hostId', message: `Host ${ref} is not in the inventory.` });
    return host;
  }
  const datacenter = source.kind === 'template' ? source.datacenter : null;
  const usable = model
    .hostList()
    .filter((h) => h.connectionState === 'connected' && h.powerState === 'poweredOn' && !h.inMaintenance && (!datacenter || h.datacenter === datacenter));
  if (!usable[0]) throw new PolyvisorError({ code: 'NOT_FOUND', field: 'hostId', message: 'No host of this server can take a new virtual machine now.' });
  return usable[0];
}

interface Placement {
  host: HostFacts;
  pool: ManagedObjectReference;
  chosen?: ManagedObjectReference;
  networks: NetworkTarget[];
}

async function createNew(ctx: GuestActionContext, spec: ProviderCreateSpec, guestId: string, at: Placement, task: TaskReporter): Promise<ManagedObjectReference> {
  const disks = spec.disks ?? [];
  if (disks.length > SCSI_UNITS.length) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'disks', message: `A new VM here takes at most ${SCSI_UNITS.length} disks.` });
  const fallback = await defaultDatastore(ctx, at.host);
  const stores = await Promise.all(disks.map((d) => (d.storageId ? resolveDatastore(ctx.client, d.storageId) : fallback)));
  const home = stores[0] ?? fallback;
  const deviceChange = [
    addScsiController(NEW_SCSI_KEY, 0),
    ...disks.map((d, i) => addDisk({ key: NEW_DISK_KEY - i, controllerKey: NEW_SCSI_KEY, unitNumber: SCSI_UNITS[i], sizeBytes: d.sizeBytes, datastore: stores[i] })),
    ...at.networks.map((n, i) => addNic(NEW_NIC_KEY - i, n)),
  ];
  const memory = spec.memory ?? {};
  const config = configSpec('config', {
    name: spec.name,
    guestId,
    annotation: spec.description,
    vmPathName: `[${home.name}]`,
    numCPUs: spec.vcpus ?? 1,
    memoryBytes: memory.sizeBytes ?? 2 * GiB,
    deviceChange,
    ...allocationOf(memory),
  });
  const folder = await vmFolderOf(ctx, at.host);
  const args = [config, moRef('pool', at.pool), at.chosen && moRef('host', at.chosen)];
  const outcome = await runVmTask(ctx.client, 'CreateVM_Task', folder, args, task, `Create ${spec.name}`);
  return requireMade(outcome.resultRef, spec.name);
}

async function cloneTemplate(ctx: GuestActionContext, spec: ProviderCreateSpec, source: Extract<TemplateSource, { kind: 'template' }>, at: Omit<Placement, 'host'>, task: TaskReporter): Promise<ManagedObjectReference> {
  const template: ManagedObjectReference = { type: 'VirtualMachine', value: source.ref };
  // a disk asked smaller than the template's is refused before the clone is made
  refuseShrinking(disksOf((await readVmConfig(ctx.client, source.ref)).devices).map((d) => ({ name: d.label, sizeBytes: d.capacityBytes })), spec.disks);
  const firstStore = spec.disks?.[0]?.storageId ? await resolveDatastore(ctx.client, spec.disks[0].storageId) : undefined;
  const location = el('location', [firstStore && moRef('datastore', firstStore.ref), moRef('pool', at.pool), at.chosen && moRef('host', at.chosen)]);
  const cloneSpec = el('spec', [location, el('template', false), el('powerOn', false)]);
  const folder = await vmFolderOf(ctx, ctx.model!.host(source.host ?? '') ?? null, template);
  const outcome = await runVmTask(ctx.client, 'CloneVM_Task', template, [moRef('folder', folder), el('name', spec.name), cloneSpec], taskStep(task, 0, 0.7), `Create ${spec.name} from ${source.name}`);
  const made = requireMade(outcome.resultRef, spec.name);
  const vm = await readVmConfig(ctx.client, made.value);
  const changes = await templateChanges(ctx, vm, spec, at.networks, firstStore);
  const memory = spec.memory ?? {};
  const hardware = {
    annotation: spec.description,
    numCPUs: spec.vcpus !== vm.numCPU ? spec.vcpus : undefined,
    memoryBytes: memory.sizeBytes !== vm.memory?.sizeBytes ? memory.sizeBytes : undefined,
    ...allocationOf(memory),
  };
  if (changes.length || Object.values(hardware).some((v) => v !== undefined)) {
    await reconfigure(ctx, vm, changes, hardware, taskStep(task, 0.7, 1), `Configure ${spec.name}`);
  }
  return made;
}

/** The clone's disks grown and added, its adapters moved and added, as the wizard asked. */
async function templateChanges(ctx: GuestActionContext, vm: VmConfig, spec: ProviderCreateSpec, networks: NetworkTarget[], firstStore: Datastore | undefined): Promise<Xml[]> {
  const own = disksOf(vm.devices);
  const asked = spec.disks ?? [];
  const out: Xml[] = [];
  // (smaller ones were refused before the clone)
  asked.slice(0, own.length).forEach((d, i) => {
    if (d.sizeBytes > own[i].capacityBytes) out.push(growDisk(own[i], d.sizeBytes));
  });
  const extra = asked.slice(own.length);
  if (extra.length) {
    const controller = scsiControllersOf(vm.devices)[0];
    const controllerKey = controller?.key ?? NEW_SCSI_KEY;
    if (!controller) out.push(addScsiController(NEW_SCSI_KEY, 0));
    const free = SCSI_UNITS.filter((u) => !vm.devices.some((d) => d.controllerKey === controllerKey && d.unitNumber === u));
    if (extra.length > free.length) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'disks', message: `The template's SCSI controller has room for ${free.length} more disks.` });
    const fallback = firstStore ?? (await homeDatastore(ctx, vm));
    for (const [i, d] of extra.entries()) {
      const store = d.storageId ? await resolveDatastore(ctx.client, d.storageId) : fallback;
      out.push(addDisk({ key: NEW_DISK_KEY - i, controllerKey, unitNumber: free[i], sizeBytes: d.sizeBytes, datastore: store }));
    }
  }
  const adapters = nicsOf(vm.devices);
  networks.forEach((n, i) => {
    const adapter = adapters[i];
    if (!adapter) out.push(addNic(NEW_NIC_KEY - i, n));
    else if ((adapter.portgroupKey ?? adapter.network?.value) !== (n.kind === 'dvportgroup' ? n.portgroupKey : n.ref.value)) out.push(repointNic(adapter, n));
  });
  return out;
}

async function reconfigure(ctx: GuestActionContext, vm: VmConfig, deviceChange: Xml[], hardware: Parameters<typeof configSpec>[1], task: TaskReporter, what: string): Promise<void> {
  await runVmTask(ctx.client, 'ReconfigVM_Task', vm.ref, [configSpec('spec', { ...hardware, deviceChange })], task, what);
}

function allocationOf(memory: NonNullable<ProviderCreateSpec['memory']>) {
  const { reservationBytes, limitBytes, shares } = memory;
  return reservationBytes !== undefined || limitBytes !== undefined || shares !== undefined ? { memoryAllocation: { reservationBytes, limitBytes, shares } } : {};
}

function requireMade(ref: ManagedObjectReference | null, name: string): ManagedObjectReference {
  if (!ref) throw new PolyvisorError({ code: 'SERVER_ERROR', message: `Creating ${name}: the server named no new virtual machine.`, serverCode: 'BadResponse' });
  return ref;
}

/** The accessible datastore of the host with the most free space. */
async function defaultDatastore(ctx: GuestActionContext, host: HostFacts): Promise<Datastore> {
  const props = await retrieveOne(ctx.client, { type: 'HostSystem', value: host.ref }, ['datastore']);
  const mounted = new Set(readMoRefArray(props?.get('datastore')).map((r) => r.value));
  const dc = host.datacenter ? { type: 'Datacenter', value: host.datacenter } : null;
  const candidates = dc ? (await datastoresOf(ctx.client, dc)).filter((d) => d.accessible && mounted.has(d.ref.value)) : [];
  const best = candidates.sort((a, b) => (b.freeBytes ?? 0) - (a.freeBytes ?? 0))[0];
  if (!best) throw new PolyvisorError({ code: 'NOT_FOUND', field: 'disks', message: `${host.name} has no datastore to put the virtual machine on.` });
  return best;
}

/** Where the clone's first disk went: new disks of a template's copy go beside it. */
async function homeDatastore(ctx: GuestActionContext, vm: VmConfig): Promise<Datastore> {
  const first = disksOf(vm.devices)[0]?.datastore ?? null;
  const value = first?.value ?? [...vm.datastoreNames.keys()][0];
  if (!value) throw new PolyvisorError({ code: 'NOT_FOUND', field: 'disks', message: `${vm.name} has no datastore for a new disk.` });
  return resolveDatastore(ctx.client, value);
}

/** The VM folder of the host's datacenter (of the template's, for a copy). */
async function vmFolderOf(ctx: GuestActionContext, host: HostFacts | null, near?: ManagedObjectReference): Promise<ManagedObjectReference> {
  const dcValue = host?.datacenter ?? (near ? ctx.model?.datacenterRef(near)?.value : undefined);
  const folder = dcValue ? readMoRef((await retrieveOne(ctx.client, { type: 'Datacenter', value: dcValue }, ['vmFolder']))?.get('vmFolder')) : null;
  if (!folder) throw new PolyvisorError({ code: 'NOT_FOUND', message: 'No VM folder found in the datacenter to put the new virtual machine in.' });
  return folder;
}
