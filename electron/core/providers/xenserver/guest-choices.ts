// What the New VM wizard may offer on a pool, read as XenCenter's NewVMWizard reads
// it: templates (VMs with is_a_template, not snapshots, not hidden or internal),
// their vCPUs, memory and disks (a built-in template's from its provisioning XML,
// a custom one's from its VBDs); SRs that take disks, with their free space, the
// pool's default first; networks guests may join (not the host-internal ones
// XenCenter hides); ISOs of the ISO libraries; live hosts with their free memory.

import type { StorageChoice } from '../../../../shared/migration';
import type { CreateOptions, DiskSpec, HostChoice, IsoChoice, NetworkChoice, TemplateChoice } from '../../../../shared/guests';
import { nodeId } from '../../../../shared/model';
import { mapLimited } from '../common/concurrency';
import type { ActionContext } from './actions';
import { vmKind } from './mapping';
import { readProvisionXml } from './provision-xml';
import { ownDisks } from './template-disks';
import { bool, isRef, map, num, refs, str, type XapiRecord } from './records';

const READS_AT_ONCE = 8;

/** XenCenter's marks of objects it does not show (other_config). */
function hidden(record: XapiRecord): boolean {
  const other = map(record.other_config);
  return bool(other.HideFromXenCenter) || bool(other.xensource_internal);
}

/** A get_all_records answer as [ref, record] pairs; anything that is not a record (a broken server) reads as an empty one. */
function recordsOf(answer: unknown): Array<[string, XapiRecord]> {
  return Object.entries(map(answer)).map(([ref, record]) => [ref, map(record)]);
}

export function defaultSrRef(ctx: ActionContext): string | undefined {
  for (const pool of ctx.tracker.cache.pool.values()) if (isRef(pool.default_SR)) return pool.default_SR;
  return undefined;
}

export async function createOptions(ctx: ActionContext): Promise<Omit<CreateOptions, 'serverId'>> {
  const [templates, storages, networks, isos] = await Promise.all([readTemplates(ctx), readStorages(ctx), readNetworks(ctx), readIsos(ctx)]);
  const hosts = readHosts(ctx);
  const cpuCounts = [...ctx.tracker.cache.host.values()].map((h) => num(map(h.cpu_info).cpu_count) ?? 0);
  const maxVcpus = Math.max(0, ...cpuCounts);
  return { templates, hosts, storages, networks, isos, ...(maxVcpus > 0 ? { maxVcpus } : {}) };
}

async function readTemplates(ctx: ActionContext): Promise<TemplateChoice[]> {
  const refsOfTemplates = [...ctx.tracker.cache.vm].filter(([, r]) => vmKind(r) === 'template').map(([ref]) => ref);
  const session = ctx.session();
  const choices = await mapLimited(refsOfTemplates, READS_AT_ONCE, async (ref) => {
    const record = map(await session.call('VM.get_record', ref));
    return hidden(record) ? undefined : templateChoice(ctx, ref, record);
  });
  return choices.filter((c): c is TemplateChoice => c !== undefined).sort((a, b) => a.name.localeCompare(b.name));
}

async function templateChoice(ctx: ActionContext, ref: string, record: XapiRecord): Promise<TemplateChoice> {
  const other = map(record.other_config);
  const builtIn = bool(record.is_default_template) || bool(other.default_template);
  const provision = readProvisionXml(str(other.disks));
  const disks: DiskSpec[] = provision.length ? provision.map((d) => ({ sizeBytes: d.size })) : await diskSpecsOf(ctx, record);
  // a built-in template installs from media (HVM: a CD; XenCenter's "Install from ISO library or DVD drive")
  const fromMedia = builtIn && (str(record.HVM_boot_policy) !== '' || str(other['install-methods']).split(',').includes('cdrom'));
  return {
    id: ref,
    nodeId: nodeId(ctx.serverId, 'template', ref),
    name: str(record.name_label),
    description: str(record.name_description),
    makes: 'vm',
    vcpus: num(record.VCPUs_at_startup) ?? undefined,
    memory: memoryOf(record),
    disks,
    install: fromMedia ? ['iso'] : [],
    // a built-in template's disks are made new from its provisioning XML; a custom one's are copies
    ...(provision.length ? {} : { copiesDisks: true }),
  };
}

export function memoryOf(record: XapiRecord): NonNullable<TemplateChoice['memory']> {
  return {
    sizeBytes: num(record.memory_static_max) ?? 0,
    staticMinBytes: num(record.memory_static_min) ?? undefined,
    dynamicMinBytes: num(record.memory_dynamic_min) ?? undefined,
    dynamicMaxBytes: num(record.memory_dynamic_max) ?? undefined,
  };
}

/** A custom template's (or VM's) own disks: its Disk VBDs in device order, each VDI's size and SR. */
async function diskSpecsOf(ctx: ActionContext, record: XapiRecord): Promise<DiskSpec[]> {
  return (await ownDisks(ctx, refs(record.VBDs))).map((d) => ({ sizeBytes: d.sizeBytes, ...(d.sr ? { storageId: d.sr } : {}), name: d.name }));
}

function readHosts(ctx: ActionContext): HostChoice[] {
  const out: HostChoice[] = [];
  for (const [ref, host] of ctx.tracker.cache.host) {
    const metrics = isRef(host.metrics) ? ctx.tracker.cache.host_metrics.get(host.metrics) : undefined;
    if (metrics && !bool(metrics.live)) continue;
    const free = metrics ? num(metrics.memory_free) : null;
    out.push({ hostId: nodeId(ctx.serverId, 'host', ref), name: str(host.name_label), ...(free !== null ? { freeMemoryBytes: free } : {}) });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** SRs a new disk can go on: plugged somewhere, not an ISO library or a host's DVD drive, taking vdi_create. */
export async function readStorages(ctx: ActionContext): Promise<StorageChoice[]> {
  const session = ctx.session();
  const [srs, pbds] = await Promise.all([
    session.call<Record<string, XapiRecord>>('SR.get_all_records'),
    session.call<Record<string, XapiRecord>>('PBD.get_all_records'),
  ]);
  const plugged = new Set(Object.values(map(pbds)).filter((p) => bool(map(p).currently_attached)).map((p) => str(map(p).SR)));
  const defaultSr = defaultSrRef(ctx);
  const out: StorageChoice[] = [];
  for (const [ref, sr] of recordsOf(srs)) {
    if (!plugged.has(ref) || str(sr.content_type) === 'iso' || str(sr.type) === 'udev' || hidden(sr)) continue;
    if (!refs(sr.allowed_operations).includes('vdi_create')) continue;
    const size = num(sr.physical_size);
    out.push({
      id: ref,
      name: str(sr.name_label),
      ...(size !== null ? { freeBytes: Math.max(0, size - (num(sr.physical_utilisation) ?? 0)) } : {}),
      shared: bool(sr.shared),
      isDefault: ref === defaultSr,
    });
  }
  return out.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name));
}

/** Networks a guest may join; the default is the one the pool master manages the pool over. */
async function readNetworks(ctx: ActionContext): Promise<NetworkChoice[]> {
  const session = ctx.session();
  const [networks, pifs] = await Promise.all([
    session.call<Record<string, XapiRecord>>('network.get_all_records'),
    session.call<Record<string, XapiRecord>>('PIF.get_all_records'),
  ]);
  const management = new Set(Object.values(map(pifs)).filter((p) => bool(map(p).management)).map((p) => str(map(p).network)));
  const out: NetworkChoice[] = [];
  for (const [ref, network] of recordsOf(networks)) {
    const other = map(network.other_config);
    if (hidden(network) || bool(other.is_guest_installer_network) || bool(other.is_host_internal_management_network)) continue;
    out.push({ id: ref, name: str(network.name_label), isDefault: management.has(ref) });
  }
  return out.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name));
}

/** ISOs of the ISO libraries (a host's own DVD drive is left out: only that host could boot from it). */
export async function readIsos(ctx: ActionContext): Promise<IsoChoice[]> {
  const session = ctx.session();
  const srs = recordsOf(await session.call('SR.get_all_records'));
  const libraries = srs.filter(([, sr]) => str(sr.content_type) === 'iso' && str(sr.type) !== 'udev' && !hidden(sr));
  const lists = await mapLimited(libraries, READS_AT_ONCE, async ([, sr]) =>
    mapLimited(refs(sr.VDIs), READS_AT_ONCE, async (vdi): Promise<IsoChoice | undefined> => {
      const record = map(await session.call('VDI.get_record', vdi));
      if (bool(record.missing) || hidden(record)) return undefined;
      return { id: vdi, name: str(record.name_label), storageName: str(sr.name_label), sizeBytes: num(record.virtual_size) ?? undefined };
    }),
  );
  return lists.flat().filter((i): i is IsoChoice => i !== undefined).sort((a, b) => a.name.localeCompare(b.name));
}
