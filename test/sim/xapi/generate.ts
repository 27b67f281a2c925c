// A synthetic pool: one pool, H hosts (each with a dom0 control domain,
// host_metrics, a management PIF and a PBD to the shared SR), V VMs spread
// across hosts in a mix of power states (each with a disk VBD/VDI and a VIF;
// running and paused ones with consoles), S snapshots distributed over the
// VMs as parent chains with some branches, and a few default templates.
// Records are inserted raw and relations computed once at the end, so 64
// hosts / 10,000 VMs / 20,000 snapshots build in a few seconds.
import { randomUUID } from 'node:crypto';
import type { XapiDatabase, XapiRecord } from './database';
import { xapiDate } from './database';
import { NULL_REF } from './model';
import { vmAllowedOperations } from './methods/vm-rules';

const GiB = 1024 ** 3;
// half running, a third halted, some suspended and paused, interleaved so small pools get a mix
const POWER_MIX = 'RHRHRSRHRPRHRHRSRHRH'.split('').map((c) => ({ R: 'Running', H: 'Halted', S: 'Suspended', P: 'Paused' })[c]!);

export interface GenerateSpec {
  hosts: number;
  vms: number;
  snapshots: number;
  /** each host also gets its own local storage SR and a DVD drive SR (not shared), as an installed host has */
  localStorage?: boolean;
  /** the first N running VMs keep their disk on their host's local storage (cannot move: VM_REQUIRES_SR); implies localStorage */
  localDiskVms?: number;
  /** the next N running VMs have a disc of their host's DVD drive in a CD drive (cannot move either); implies localStorage */
  localCdVms?: number;
  /** memory of each host in GiB (default 256; guests take 1–4 GiB each, a control domain 4) */
  hostMemoryGiB?: number;
  /** hosts can be powered on remotely (power_on_mode "wake-on-lan"; default true) */
  powerOn?: boolean;
  /** every VM runs (spread over the hosts in turn) instead of the usual mix of power states */
  allRunning?: boolean;
  /** a shared ISO library SR (content_type iso) with a few install ISOs, plugged on every host */
  isoLibrary?: boolean;
  /** each VM's other_config carries a `notes` entry of this many bytes: get_all_records answers of hundreds of MB */
  vmNotesBytes?: number;
}

/** The install ISOs of the generated ISO library. */
export const GENERATED_ISOS = ['debian-12.8.0-amd64-netinst.iso', 'ubuntu-24.04.1-live-server-amd64.iso', 'Rocky-9.5-x86_64-minimal.iso'];

export function generatePool(db: XapiDatabase, spec: GenerateSpec): void {
  const add = (cls: string, fields: XapiRecord) => db.add(cls, fields, { raw: true, silent: true });
  const now = xapiDate();
  const hosts = Math.max(1, spec.hosts);
  const localDisks = spec.localDiskVms ?? 0;
  const localCds = spec.localCdVms ?? 0;
  const withLocal = spec.localStorage || localDisks > 0 || localCds > 0;
  const localSrOf = new Map<string, { disk: string; dvd: string }>();
  const notes = spec.vmNotesBytes ? 'n'.repeat(spec.vmNotesBytes) : '';

  const sr = add('SR', {
    name_label: 'Shared NFS storage',
    name_description: 'NFS SR [192.0.2.10:/export/sr]',
    allowed_operations: ['vdi_create', 'vdi_snapshot', 'vdi_clone', 'vdi_destroy', 'vdi_resize', 'scan', 'plug', 'unplug', 'update'],
    type: 'nfs',
    content_type: 'user',
    shared: true,
    physical_size: 64 * 1024 * GiB,
    sm_config: {},
  });
  const network = add('network', { name_label: 'Pool-wide network associated with eth0', bridge: 'xenbr0', MTU: 1500, managed: true });
  // every xapi has it: dom0's link to guests' internal services, no PIF, hidden by clients
  add('network', {
    name_label: 'Host internal management network',
    name_description: 'Network on which guests will be assigned a private link-local IP address which can be used to talk XenAPI',
    bridge: 'xenapi',
    MTU: 1500,
    managed: true,
    other_config: { is_guest_installer_network: 'true', is_host_internal_management_network: 'true', ip_begin: '169.254.0.1', ip_end: '169.254.255.254', netmask: '255.255.0.0' },
  });

  const hostRefs: string[] = [];
  for (let h = 0; h < hosts; h++) {
    const address = `192.0.2.${(h % 250) + 1}`;
    const metrics = add('host_metrics', { memory_total: (spec.hostMemoryGiB ?? 256) * GiB, live: true, last_updated: now });
    const host = add('host', {
      name_label: `host-${String(h + 1).padStart(2, '0')}`,
      hostname: `host-${h + 1}`,
      address,
      enabled: true,
      API_version_major: 2,
      API_version_minor: 21,
      API_version_vendor: 'XenSource',
      software_version: { product_brand: 'XCP-ng', product_version: '8.3.0', xapi: '24.19' },
      metrics,
      power_on_mode: spec.powerOn === false ? '' : 'wake-on-lan',
      power_on_config: {},
      cpu_info: { cpu_count: '32', vendor: 'GenuineIntel', modelname: 'Simulated Xeon' },
    });
    hostRefs.push(host);
    const pifMetrics = add('PIF_metrics', { carrier: true, speed: 1000, duplex: true, vendor_name: 'Intel Corporation', device_name: '82599ES 10-Gigabit', last_updated: now });
    add('PIF', { device: 'eth0', network, host, MAC: mac(h, 0), MTU: 1500, VLAN: -1, metrics: pifMetrics, physical: true, currently_attached: true, management: true, IP: address, ip_configuration_mode: 'Static' });
    add('PBD', { host, SR: sr, device_config: { server: '192.0.2.10', serverpath: '/export/sr' }, currently_attached: true });
    if (withLocal) localSrOf.set(host, addLocalSrs(add, host, h));
    const dom0Metrics = add('VM_metrics', { memory_actual: 4 * GiB, VCPUs_number: 8, start_time: now, last_updated: now });
    const dom0 = add('VM', {
      name_label: `Control domain on host: host-${h + 1}`,
      name_description: 'The domain which manages physical devices and manages other domains',
      power_state: 'Running',
      is_control_domain: true,
      resident_on: host,
      affinity: host,
      domid: 0,
      memory_static_max: 4 * GiB,
      memory_dynamic_max: 4 * GiB,
      memory_dynamic_min: 4 * GiB,
      memory_static_min: 4 * GiB,
      VCPUs_max: 8,
      VCPUs_at_startup: 8,
      metrics: dom0Metrics,
    });
    db.get('VM', dom0)!.allowed_operations = vmAllowedOperations(db.get('VM', dom0)!);
    add('console', { protocol: 'rfb', location: '', VM: dom0 });
    // xapi gives the control domain a text console too: its shell on the host (XenCenter's host Console tab)
    add('console', { protocol: 'vt100', location: '', VM: dom0 });
    db.get('host', host)!.control_domain = dom0;
  }

  add('pool', {
    name_label: 'Simulated pool',
    master: hostRefs[0],
    default_SR: sr,
    // a current release: VSS (quiesced snapshots) is gone, VM snapshot schedules are there
    restrictions: { restrict_vss: 'true', restrict_vmss: 'false' },
    suspend_image_SR: sr,
    crash_dump_SR: sr,
    allowed_operations: ['ha_enable', 'cluster_create'],
  });

  if (spec.isoLibrary) addIsoLibrary(add, hostRefs);

  for (let t = 0; t < 5; t++) {
    // a built-in template's disks: provisioned from this XML once the template is cloned (sr = an SR's uuid, set by the client)
    const disks = `<provision><disk device="0" size="${[10, 10, 10, 32, 16][t]! * GiB}" sr="" bootable="true" type="system"/></provision>`;
    const tpl = add('VM', {
      name_label: ['Debian Bookworm 12', 'Ubuntu Noble 24.04', 'Rocky Linux 9', 'Windows Server 2022 (64-bit)', 'Other install media'][t],
      is_a_template: true,
      is_default_template: true,
      power_state: 'Halted',
      memory_static_max: 2 * GiB,
      memory_dynamic_max: 2 * GiB,
      memory_dynamic_min: 2 * GiB,
      memory_static_min: GiB,
      VCPUs_max: 2,
      VCPUs_at_startup: 2,
      HVM_boot_policy: 'BIOS order',
      HVM_boot_params: { order: 'cdn' },
      other_config: { default_template: 'true', 'install-methods': 'cdrom', disks },
    });
    db.get('VM', tpl)!.allowed_operations = vmAllowedOperations(db.get('VM', tpl)!);
  }

  const vmRefs: string[] = [];
  const diskOf = new Map<string, string>();
  let runningSoFar = 0;
  for (let i = 0; i < spec.vms; i++) {
    const host = hostRefs[i % hosts];
    const power = spec.allRunning ? 'Running' : POWER_MIX[i % POWER_MIX.length];
    const live = power === 'Running' || power === 'Paused';
    const memory = (1 + (i % 4)) * GiB;
    const metrics = add('VM_metrics', {
      memory_actual: live ? memory : 0,
      VCPUs_number: live ? 2 : 0,
      start_time: live ? now : '19700101T00:00:00Z',
      last_updated: now,
    });
    const vm = add('VM', {
      name_label: `vm-${String(i + 1).padStart(5, '0')}`,
      name_description: `Synthetic VM ${i + 1}`,
      power_state: power,
      resident_on: live ? host : NULL_REF,
      affinity: host,
      domid: live ? 100 + i : -1,
      memory_static_max: memory,
      memory_dynamic_max: memory,
      memory_dynamic_min: memory,
      memory_static_min: GiB / 2,
      memory_target: live ? memory : 0,
      VCPUs_max: 2,
      VCPUs_at_startup: 2,
      HVM_boot_policy: 'BIOS order',
      HVM_boot_params: { order: 'cd' },
      platform: { acpi: '1', apic: 'true', pae: 'true', viridian: 'false' },
      metrics,
      domain_type: 'hvm',
      other_config: { mac_seed: randomUUID(), ...(notes ? { notes } : {}) },
      user_version: 1,
    });
    const runningIndex = power === 'Running' ? runningSoFar++ : -1;
    const localDisk = runningIndex >= 0 && runningIndex < localDisks;
    const localCd = runningIndex >= localDisks && runningIndex < localDisks + localCds;
    const vdi = add('VDI', {
      name_label: `vm-${i + 1} disk 0`,
      SR: localDisk ? localSrOf.get(host)!.disk : sr,
      type: 'user',
      virtual_size: 20 * GiB,
      physical_utilisation: 4 * GiB,
      managed: true,
      allowed_operations: ['clone', 'copy', 'resize', 'snapshot', 'destroy'],
      location: randomUUID(),
    });
    diskOf.set(vm, vdi);
    add('VBD', { VM: vm, VDI: vdi, device: 'xvda', userdevice: '0', bootable: true, mode: 'RW', type: 'Disk', currently_attached: live, unpluggable: true });
    add('VIF', { VM: vm, network, device: '0', MAC: mac(i, 1), MTU: 1500, currently_attached: live });
    if (localCd) {
      const disc = add('VDI', { name_label: 'SCSI 2:0:0:0', SR: localSrOf.get(host)!.dvd, type: 'user', virtual_size: 700 * 1024 ** 2, managed: true, read_only: true, location: '/dev/xapi/cd/sr0' });
      add('VBD', { VM: vm, VDI: disc, device: 'xvdd', userdevice: '3', mode: 'RO', type: 'CD', currently_attached: live, unpluggable: true });
    }
    if (live) add('console', { protocol: 'rfb', location: '', VM: vm });
    if (power === 'Suspended') {
      db.get('VM', vm)!.suspend_VDI = add('VDI', { name_label: `Suspend image for vm-${i + 1}`, SR: sr, type: 'suspend', virtual_size: memory, managed: true });
    }
    vmRefs.push(vm);
  }

  // snapshots: spread evenly; each VM's snapshots form a chain, with a branch every few VMs
  const v = vmRefs.length;
  if (v > 0 && spec.snapshots > 0) {
    for (let i = 0; i < v; i++) {
      const count = Math.floor(spec.snapshots / v) + (i < spec.snapshots % v ? 1 : 0);
      let parent = NULL_REF;
      const chain: string[] = [];
      for (let s = 0; s < count; s++) {
        const branchFrom = i % 5 === 0 && s === 2 && chain.length >= 2 ? chain[0] : parent;
        const snap = addSnapshot(db, add, vmRefs[i], diskOf.get(vmRefs[i]) ?? NULL_REF, `snapshot ${s + 1}`, branchFrom, sr, network);
        chain.push(snap);
        parent = snap;
      }
      if (count) db.get('VM', vmRefs[i])!.parent = parent;
    }
  }

  for (const ref of vmRefs) db.get('VM', ref)!.allowed_operations = vmAllowedOperations(db.get('VM', ref)!);
  db.rebuildRelations();
  for (const ref of hostRefs) countHostMemory(db, ref);
  for (const [ref, c] of db.records('console')) if (!c.location) c.location = `https://localhost/console?uuid=${c.uuid}&ref=${ref}`;
}

/** A shared NFS ISO library with install ISOs, as an admin adds one (XenCenter: New SR → ISO library). */
function addIsoLibrary(add: (cls: string, fields: XapiRecord) => string, hosts: string[]): void {
  const sr = add('SR', {
    name_label: 'ISO library',
    name_description: 'NFS ISO library [192.0.2.20:/export/iso]',
    type: 'iso',
    content_type: 'iso',
    shared: true,
    physical_size: 512 * GiB,
    physical_utilisation: 6 * GiB,
    allowed_operations: ['scan', 'plug', 'unplug', 'update'],
    other_config: {},
  });
  for (const host of hosts) add('PBD', { host, SR: sr, device_config: { location: '192.0.2.20:/export/iso' }, currently_attached: true });
  GENERATED_ISOS.forEach((name, i) => {
    add('VDI', { name_label: name, SR: sr, type: 'user', virtual_size: (1 + i) * GiB, physical_utilisation: (1 + i) * GiB, managed: true, read_only: true, location: name });
  });
}

/** A host's own disks and DVD drive, as an installer makes them: SRs only that host sees. */
function addLocalSrs(add: (cls: string, fields: XapiRecord) => string, host: string, h: number): { disk: string; dvd: string } {
  const name = `host-${String(h + 1).padStart(2, '0')}`;
  const disk = add('SR', {
    name_label: `Local storage on ${name}`,
    type: 'lvm',
    content_type: 'user',
    shared: false,
    physical_size: 900 * GiB,
    allowed_operations: ['vdi_create', 'vdi_snapshot', 'vdi_clone', 'vdi_destroy', 'vdi_resize', 'scan', 'plug', 'unplug', 'update'],
    other_config: { 'i18n-key': 'local-storage' },
  });
  add('PBD', { host, SR: disk, device_config: { device: '/dev/sda3' }, currently_attached: true });
  const dvd = add('SR', { name_label: `DVD drives on ${name}`, type: 'udev', content_type: 'iso', shared: false, other_config: { 'i18n-key': 'local-hotplug-cd' } });
  add('PBD', { host, SR: dvd, device_config: { location: '/dev/xapi/cd' }, currently_attached: true });
  return { disk, dvd };
}

/** memory_free as the resident domains leave it (the simulator does not balloon). */
function countHostMemory(db: XapiDatabase, hostRef: string): void {
  const host = db.get('host', hostRef)!;
  const metrics = db.get('host_metrics', host.metrics as string)!;
  let free = Number(metrics.memory_total);
  for (const vm of host.resident_VMs as string[]) free -= Number(db.get('VM', vm)!.memory_static_max) || 0;
  metrics.memory_free = Math.max(0, free);
  host.allowed_operations = ['provision', 'evacuate', 'vm_start', 'vm_resume', 'vm_migrate'];
}

function addSnapshot(
  db: XapiDatabase,
  add: (cls: string, fields: XapiRecord) => string,
  vmRef: string,
  vmDisk: string,
  name: string,
  parent: string,
  sr: string,
  network: string,
): string {
  const vm = db.get('VM', vmRef)!;
  const checkpoint = vm.power_state === 'Running' && name.endsWith('2');
  const snap = add('VM', {
    name_label: name,
    name_description: `${name} of ${vm.name_label}`,
    power_state: checkpoint ? 'Suspended' : 'Halted',
    is_a_template: true,
    is_a_snapshot: true,
    snapshot_of: vmRef,
    snapshot_time: xapiDate(),
    snapshot_info: { 'disk-snapshot-type': 'crash_consistent', 'power-state-at-snapshot': vm.power_state },
    parent,
    memory_static_max: vm.memory_static_max,
    memory_dynamic_max: vm.memory_dynamic_max,
    memory_dynamic_min: vm.memory_dynamic_min,
    memory_static_min: vm.memory_static_min,
    VCPUs_max: vm.VCPUs_max,
    VCPUs_at_startup: vm.VCPUs_at_startup,
    HVM_boot_policy: vm.HVM_boot_policy,
    platform: vm.platform,
    domain_type: vm.domain_type,
    domid: -1,
    metrics: add('VM_metrics', {}),
  });
  db.get('VM', snap)!.allowed_operations = vmAllowedOperations(db.get('VM', snap)!);
  const vdi = add('VDI', {
    name_label: `${vm.name_label} disk 0`,
    SR: sr,
    type: 'user',
    virtual_size: 20 * GiB,
    managed: true,
    is_a_snapshot: true,
    snapshot_time: xapiDate(),
    allowed_operations: ['clone', 'copy', 'destroy'],
  });
  db.get('VDI', vdi)!.snapshot_of = vmDisk;
  add('VBD', { VM: snap, VDI: vdi, device: 'xvda', userdevice: '0', bootable: true, mode: 'RW', type: 'Disk', other_config: { owner: '' } });
  add('VIF', { VM: snap, network, device: '0', MAC: mac(0, 2), MTU: 1500 });
  if (checkpoint) {
    db.get('VM', snap)!.suspend_VDI = add('VDI', { name_label: `Suspend image for ${name}`, SR: sr, type: 'suspend', virtual_size: vm.memory_static_max, managed: true });
  }
  return snap;
}

function mac(i: number, kind: number): string {
  const b = [0x02, kind, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff, Math.floor(Math.random() * 256)];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}
