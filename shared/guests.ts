// Making, changing and removing VMs and containers (issue 14): what the renderer
// asks before it draws the New VM wizard, the Properties dialog, the Memory tab
// and the delete confirmation, and what it sends back. Sizes are bytes on the
// wire: the renderer and the CLI parse "4GiB" / "4 GB" before they send.

import type { LocalizedText } from './descriptor';
import type { StorageChoice } from './migration';

/** Tasks that are not an action on an existing node (TaskInfo.action), named once for the tasks panel. */
export const GUEST_TASK_ACTIONS = ['create', 'configure', 'image_pull', 'image_prune', 'volume_prune'] as const;

/**
 * Memory as every platform has it; a provider declares which parts it has
 * (GuestsFacet.settings). XAPI: static_min ≤ dynamic_min ≤ dynamic_max ≤ static_max.
 */
export interface MemoryConfig {
  /** what the guest is given or may grow to: XAPI static_max, Proxmox memory, vSphere memoryMB, Docker limit (0 = none) */
  sizeBytes: number;
  /** XAPI static_min: the least the VM could ever be given */
  staticMinBytes?: number;
  /** the dynamic range: XAPI dynamic_min..dynamic_max; Proxmox balloon minimum..memory */
  dynamicMinBytes?: number;
  dynamicMaxBytes?: number;
  /** what the guest has now (XAPI memory_actual, Proxmox mem, Docker usage); read-only */
  actualBytes?: number;
  /** vSphere reservation, Docker memory reservation */
  reservationBytes?: number;
  /** vSphere limit; absent = unlimited */
  limitBytes?: number;
  /** vSphere memory shares */
  shares?: number;
}

/** A disk of a new VM; a template's own disks come first, in its order. */
export interface DiskSpec {
  sizeBytes: number;
  /** a StorageChoice id; omitted = the server's default storage */
  storageId?: string;
  name?: string;
}

/** A network interface of a new VM: a NetworkChoice id. */
export interface NicSpec {
  networkId: string;
}

export interface NetworkChoice {
  /** opaque to everything but the provider */
  id: string;
  name: string;
  isDefault?: boolean;
}

export interface IsoChoice {
  /** opaque to everything but the provider (XAPI VDI ref, Proxmox volid, datastore path) */
  id: string;
  name: string;
  storageName?: string;
  sizeBytes?: number;
}

export interface HostChoice {
  /** inventory id of the host node */
  hostId: string;
  name: string;
  freeMemoryBytes?: number;
}

/** What a new guest is made from: a template (XAPI, vSphere, Proxmox), a container template (Proxmox LXC) or an image (Docker). */
export interface TemplateChoice {
  /** opaque to everything but the provider (a template's native ref, a Proxmox ostemplate volid, a Docker image reference) */
  id: string;
  /** inventory id when the template is a node of the tree (New VM from a template node preselects it) */
  nodeId?: string;
  name: string;
  description?: string;
  makes: 'vm' | 'container';
  /** the template's own values, used as the wizard's defaults */
  vcpus?: number;
  memory?: MemoryConfig;
  disks?: DiskSpec[];
  /** how an operating system gets in: a CD from the ISO storage, cloud-init / customization fields; [] = already installed */
  install: Array<'iso' | 'cloud-init'>;
  /** the template's disks are copied into the new guest: they may grow, never shrink (absent: new disks of any size) */
  copiesDisks?: boolean;
}

/** The answer of `guests:createOptions`: everything the New VM wizard may offer on one server. */
export interface CreateOptions {
  serverId: string;
  templates: TemplateChoice[];
  /** home host choices; the wizard adds "any" (hostId omitted) */
  hosts: HostChoice[];
  storages: StorageChoice[];
  networks: NetworkChoice[];
  isos: IsoChoice[];
  /** the most the server would give one guest, when it says */
  maxVcpus?: number;
  maxMemoryBytes?: number;
}

/** Cloud-init / guest customization fields (Proxmox ciuser/cipassword/sshkeys/ipconfig0; vSphere customization). */
export interface CloudInitSpec {
  user?: string;
  /** write-only: passed to the server once, never stored, logged or returned */
  password?: string;
  sshKeys?: string;
  hostname?: string;
  /** 'dhcp' or 'ip=CIDR,gw=ADDRESS' */
  ipConfig?: string;
  /** vSphere Linux customization: the DNS domain of the host name */
  domain?: string;
  /** vSphere Linux customization: an IANA time zone (Europe/Berlin) */
  timeZone?: string;
  /** DNS servers, in order of preference */
  dnsServers?: string[];
}

export type CloudInitField = keyof CloudInitSpec;

/** GuestsFacet.customization: the cloud-init / customization fields a template offering 'cloud-init' takes. */
export interface CustomizationFacet {
  fields: CloudInitField[];
  /** fields the platform cannot do without once any is given (vSphere Linux customization: domain) */
  required?: CloudInitField[];
  /** the platform's word for it (vSphere: Guest customization) */
  label?: LocalizedText;
}

/** Docker: what `container create` takes beyond name and image. */
export interface ContainerCreateSpec {
  image: string;
  command?: string[];
  env?: string[];
  ports?: Array<{ containerPort: number; hostPort?: number; protocol?: 'tcp' | 'udp' }>;
  /** a named volume (created if missing) or an absolute host path, mounted at target */
  volumes?: Array<{ source: string; target: string; readOnly?: boolean }>;
  restartPolicy?: RestartPolicy;
  /** CPU cores (0.5 = half a core) */
  cpuLimit?: number;
}

export type RestartPolicy = 'no' | 'always' | 'unless-stopped' | 'on-failure';

/** The New VM wizard's answer (`guests:create`). Omitted values take the template's. */
export interface GuestCreateSpec {
  /** a TemplateChoice id */
  templateId: string;
  name: string;
  description?: string;
  vcpus?: number;
  memory?: Partial<MemoryConfig>;
  /** the new guest's disks: the template's (resized or placed) first, then new ones */
  disks?: DiskSpec[];
  networks?: NicSpec[];
  /** an IsoChoice id inserted in the CD drive */
  isoId?: string;
  cloudInit?: CloudInitSpec;
  /** inventory id of the home host; omitted = any */
  hostId?: string;
  start?: boolean;
  /** Docker */
  container?: Omit<ContainerCreateSpec, 'image'>;
}

export interface GuestDisk {
  id: string;
  name: string;
  sizeBytes: number;
  storageName?: string;
  /** the device position as the platform names it (xvda, scsi0, Hard disk 1) */
  device?: string;
}

export interface GuestNic {
  id: string;
  networkName: string;
  mac?: string;
  ips?: string[];
  device?: string;
}

/** The answer of `guests:properties`: a guest's settings as its server has them now. */
export interface GuestProperties {
  nodeId: string;
  name: string;
  description: string;
  vcpus?: number;
  /** the most vCPUs the guest can have without a restart (XAPI VCPUs_max) */
  vcpusMax?: number;
  memory?: MemoryConfig;
  disks: GuestDisk[];
  nics: GuestNic[];
  /** the CD/DVD drive: what is inserted (null = empty); absent = the guest has no drive */
  cd?: { isoId: string | null; isoName?: string };
  /** device words in boot order: 'cd', 'disk', 'network' */
  bootOrder?: string[];
  autoStart?: boolean;
  tags: string[];
  cpuLimit?: number;
  restartPolicy?: RestartPolicy;
  /** ISOs the drive may take */
  isos: IsoChoice[];
  /** the server's revision of this configuration (Proxmox digest); sent back so a concurrent edit is refused */
  revision?: string;
  /** vSphere CPU Hot Add / Memory Hot Add as this guest has them: vCPUs / memory may grow while it runs */
  hotAdd?: { cpu: boolean; memory: boolean };
}

/** What the Properties dialog changes (`guests:configure`); absent = unchanged. */
export interface GuestChanges {
  name?: string;
  description?: string;
  vcpus?: number;
  memory?: Partial<Omit<MemoryConfig, 'actualBytes'>>;
  /** insert an ISO, or null to eject */
  isoId?: string | null;
  bootOrder?: string[];
  autoStart?: boolean;
  tags?: string[];
  cpuLimit?: number;
  restartPolicy?: RestartPolicy;
  /** GuestProperties.revision as read; the server refuses if the guest changed since */
  revision?: string;
}

/** What deleting a guest destroys (the confirmation lists it before anything happens). */
export interface DeleteItem {
  nodeId: string;
  name: string;
  running: boolean;
  snapshots: number;
  /** disks (XAPI VDIs, Proxmox volumes, vSphere files) or Docker named volumes */
  disks: Array<{ name: string; sizeBytes?: number; storageName?: string; sharedWith?: string[] }>;
}

export interface DeletePlan {
  items: DeleteItem[];
  /** the platform can delete a guest but keep its disks */
  canKeepDisks: boolean;
}

/** A setting the Properties dialog and the wizard may show, as a provider declares it. */
export type GuestSettingKey =
  | 'name'
  | 'description'
  | 'vcpus'
  | 'memory.size'
  | 'memory.staticMin'
  | 'memory.dynamic'
  | 'memory.reservation'
  | 'memory.limit'
  | 'memory.shares'
  | 'cpuLimit'
  | 'cd'
  | 'bootOrder'
  | 'autoStart'
  | 'tags'
  | 'restartPolicy';

export interface GuestSettingRule {
  key: GuestSettingKey;
  /** the platform's own word for it (Proxmox "Minimum memory (ballooning)", vSphere "Reservation") */
  label?: LocalizedText;
  hint?: LocalizedText;
  min?: number;
  max?: number;
  /** while the guest runs: changed at once, saved for the next boot (the dialog marks it), or refused */
  whileRunning: 'live' | 'next-boot' | 'no';
  /** only for these guest kinds (Proxmox: LXC has no ballooning); absent = both */
  kinds?: Array<'vm' | 'container'>;
  /** a range setting (memory.dynamic): the platform's words for its two ends (XAPI "Dynamic minimum" / "Dynamic maximum") */
  bounds?: { min: LocalizedText; max: LocalizedText };
  /** memory.dynamic: the range ends at the memory size (Proxmox: the balloon's maximum is the memory), so its maximum follows the size and is not set apart */
  endsAtSize?: boolean;
  /** while running only where the guest has hot add enabled (GuestProperties.hotAdd: vSphere CPU / Memory Hot Add); otherwise `whileRunning` holds */
  liveWithHotAdd?: 'cpu' | 'memory';
}

/** Descriptor facet: what a platform can make, change and remove; absent = none of it. */
export interface GuestsFacet {
  create: boolean;
  /** fast clone (copy-on-write / linked) and full copy, as the platform distinguishes them; [] = no clone */
  clone: Array<'fast' | 'full'>;
  /** a VM can be turned into a template, and a template back into a VM */
  toTemplate: boolean;
  fromTemplate: boolean;
  /** deleting a guest may keep its disks (or a container's named volumes) */
  keepDisks: boolean;
  /** settings the Properties dialog draws, in order */
  settings: GuestSettingRule[];
  /** container images and volumes as nodes of their own (Docker) */
  images: boolean;
  /** what a template offering 'cloud-init' takes; absent = cloud-init's user, password, sshKeys, hostname, ipConfig */
  customization?: CustomizationFacet;
  /** why a clone kind is not offered, shown in the clone dialog */
  cloneNote?: LocalizedText;
}
