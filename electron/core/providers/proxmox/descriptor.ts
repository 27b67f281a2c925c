// What Polyvisor shows and asks for a Proxmox VE cluster.

import type { ProviderDescriptor } from '../../../../shared/descriptor';
import type { GuestsFacet } from '../../../../shared/guests';
import { booleanOption, defineOptions, integerOption, textOption, TUNING_LABELS } from '../common/options';
import { FULL_VM_FACETS, hostField, passwordField, portField, text, usernameField } from '../common/standard-fields';
import { proxmoxProperties } from './property-reading';
import { PROXMOX_METRICS_FACET } from './metrics-facet';
import { PROXMOX_NOTIFICATIONS_FACET } from './notifications';
import { PROXMOX_LABELS_FACET } from './labels';

export const proxmoxOptions = defineOptions({
  realm: textOption({
    label: text('Realm', '认证域'),
    hint: text('pam (Linux users), pve (Proxmox users), or an AD/LDAP realm', 'pam（Linux 用户）、pve（Proxmox 用户）或 AD/LDAP 域'),
    default: 'pam',
    maxLength: 64,
    pattern: '[A-Za-z][A-Za-z0-9._-]*',
  }),
  tokenId: textOption({
    label: text('API token ID', 'API 令牌 ID'),
    placeholder: text('optional: use an API token instead of a password', '可选：使用 API 令牌代替密码'),
    maxLength: 64,
    pattern: '[A-Za-z][A-Za-z0-9._-]*',
  }),
  pollIntervalMs: integerOption({ label: text('Inventory poll interval (ms)', '清单轮询间隔（毫秒）'), advanced: true, default: 3000, min: 10 }),
  taskPollMs: integerOption({ label: TUNING_LABELS.taskPollMs, advanced: true, default: 500, min: 1 }),
  snapshotConcurrency: integerOption({ label: text('Snapshot lists read at once', '同时读取的快照列表数'), advanced: true, default: 16, min: 1, max: 256 }),
  snapshotSweepPerPoll: integerOption({ label: text('Snapshot lists re-read per poll', '每次轮询重读的快照列表数'), advanced: true, default: 20, min: 0 }),
  reconnectDelayMs: integerOption({ label: TUNING_LABELS.reconnectMinMs, advanced: true, default: 1000, min: 1 }),
  reconnectMaxMs: integerOption({ label: TUNING_LABELS.reconnectMaxMs, advanced: true, default: 30_000, min: 1 }),
  snapshotListsAfterConnect: booleanOption({
    label: text('Read every snapshot list after connecting (off: a list is read when its Snapshots tab opens, and by the rotation)', '连接后读取所有快照列表（关闭：打开快照选项卡时读取，并随轮换读取）'),
    advanced: true,
    default: true,
  }),
  initialSnapshotWaitMs: integerOption({ label: text('Wait for snapshot lists at connect (ms)', '连接时等待快照列表（毫秒）'), advanced: true, default: 0, min: 0 }),
  ticketLifetimeMs: integerOption({ label: text('Ticket lifetime (ms)', '票据有效期（毫秒）'), advanced: true, default: 7_200_000, min: 1 }),
});

const MiB = 1024 * 1024;

/**
 * Making and changing guests in Proxmox VE's words. A running VM takes memory and
 * cores only at its next start (memory hot-plug is off by default), its balloon
 * minimum at once; a container's cgroup limits change at once and it has no balloon
 * and no CD drive. PVE cannot turn a template back into a guest, and deleting a guest
 * always removes its own disks.
 */
const PROXMOX_GUESTS: GuestsFacet = {
  create: true,
  clone: ['fast', 'full'],
  toTemplate: true,
  fromTemplate: false,
  keepDisks: false,
  images: false,
  settings: [
    { key: 'name', label: text('Name', '名称'), whileRunning: 'live', kinds: ['vm'] },
    { key: 'name', label: text('Hostname', '主机名'), whileRunning: 'live', kinds: ['container'] },
    { key: 'description', label: text('Notes', '备注'), whileRunning: 'live' },
    { key: 'vcpus', label: text('Cores', '核心'), min: 1, whileRunning: 'next-boot', kinds: ['vm'] },
    { key: 'vcpus', label: text('Cores', '核心'), min: 1, max: 8192, whileRunning: 'live', kinds: ['container'] },
    { key: 'memory.size', label: text('Memory', '内存'), min: 16 * MiB, whileRunning: 'next-boot', kinds: ['vm'] },
    { key: 'memory.size', label: text('Memory', '内存'), min: 16 * MiB, whileRunning: 'live', kinds: ['container'] },
    {
      key: 'memory.dynamic',
      label: text('Ballooning Device', '气球设备'),
      hint: text('Minimum memory: 0 turns the device off; at most the memory', '最小内存：0 表示关闭设备；不超过内存'),
      bounds: { min: text('Minimum memory', '最小内存'), max: text('Memory', '内存') },
      endsAtSize: true,
      min: 0,
      whileRunning: 'live',
      kinds: ['vm'],
    },
    { key: 'cpuLimit', label: text('CPU limit', 'CPU 限制'), min: 0, max: 128, whileRunning: 'live' },
    { key: 'cd', label: text('CD/DVD Drive', 'CD/DVD 驱动器'), whileRunning: 'live', kinds: ['vm'] },
    { key: 'bootOrder', label: text('Boot Order', '引导顺序'), whileRunning: 'next-boot', kinds: ['vm'] },
    { key: 'autoStart', label: text('Start at boot', '开机自启动'), whileRunning: 'live' },
    { key: 'tags', label: text('Tags', '标签'), whileRunning: 'live' },
  ],
};

export const proxmoxDescriptor: ProviderDescriptor = {
  type: 'proxmox',
  displayName: text('Proxmox VE', 'Proxmox VE'),
  mark: { color: '#e0701a', path: 'M4 4 l2 3 l-2 3 M10 4 l-2 3 l2 3' },
  defaultPort: 8006,
  fields: [
    hostField(),
    portField(8006),
    usernameField(),
    ...proxmoxOptions.fields,
    passwordField({ labelWhen: [{ when: { field: 'tokenId', present: true }, label: text('API token secret', 'API 令牌密钥') }] }),
  ],
  display: {
    address: [{ template: '{host}:{port}' }],
    login: [{ when: { field: 'tokenId', present: true }, template: '{username}@{realm}!{tokenId}' }, { template: '{username}@{realm}' }],
    guest: [{ when: { field: 'vmid', present: true }, template: '{vmid} ({name})' }],
  },
  snapshotName: {
    pattern: '[A-Za-z][A-Za-z0-9_-]+',
    maxLength: 40,
    hint: text('a letter first, then letters, digits, "-" and "_"; at most 40', '以字母开头，仅含字母、数字、"-" 和 "_"，最多 40 个字符'),
    defaultTemplate: 'snap_{yyyy}{MM}{dd}_{HH}{mm}{ss}',
  },
  facets: {
    ...FULL_VM_FACETS,
    // a snapshot's name is its key in the guest's configuration: PVE changes only its description
    snapshotEdit: 'description',
    snapshotClone: true,
    snapshotToTemplate: true,
    // PVE starts the guest from the saved RAM after a rollback (the rollback API's own note)
    memoryRevertResumes: true,
    // online migration of running VMs; a running container moves in restart mode (the plan marks it offline)
    migration: 'live',
    crossServerMigration: false,
    // PVE's own name (ha-manager's "node-maintenance", "maintenance mode" in the HA status); Polyvisor moves every
    // guest away and marks the node in its notes, since only ha-manager sets PVE's own (maintenance-mark.ts)
    maintenanceMode: text('Node Maintenance', '节点维护'),
    // a node's own Shell: termproxy + vncwebsocket on /nodes/{node}, as PVE's UI opens it
    hostConsole: true,
    // remote-viewer with spiceproxy's .vv file; RDP/SSH with the OS and addresses the guest agent reports when asked
    externalViewers: ['spice', 'rdp', 'ssh'],
    guestAgentFacts: true,
    guests: PROXMOX_GUESTS,
    metrics: PROXMOX_METRICS_FACET,
    notifications: PROXMOX_NOTIFICATIONS_FACET,
    // Permissions: users and groups with their ACL roles (an entry on / when given here), GET /access/permissions per VM and node
    access: { domainJoin: false, subjects: true, fixedRoles: false, acls: true, tokens: false, logoutSessions: false, loginHint: text('Users log in as user@realm (alice@pve).', '用户以 user@realm 登录（alice@pve）。') },
    // a guest's tags in its configuration; folders are Polyvisor's own
    labels: PROXMOX_LABELS_FACET,
    // storages per node (shared ones once, under the cluster) and their content; PVE's API has no rescan
    storage: {
      tree: true,
      contents: true,
      rescan: false,
      rescanNote: text("Proxmox VE's API has no rescan: a storage's usage is read again with every poll.", 'Proxmox VE 的 API 没有重新扫描：每次轮询都会重新读取存储的用量。'),
      // a VM's disk with move_disk (live too); a container's volume (move_volume) is refused with that reason
      moveDisk: true,
      // a guest's disks (issue 16): scsiN/mpN <storage>:<GiB>, an unusedN attached again, PUT …/resize, delete=scsiN (→ unusedN) or removed
      addDisk: true,
      attachDisk: true,
      resizeDisk: true,
      detachDisk: true,
      addDiskNote: text(
        "A VM's new disk is its next SCSI disk; a container's is its next mount point, at /mnt/mpN. A running VM takes it at once where its hotplug has disk.",
        '虚拟机的新磁盘为下一个 SCSI 磁盘；容器的新磁盘为下一个挂载点，位于 /mnt/mpN。运行中的虚拟机在热插拔包含磁盘时立即生效。',
      ),
      attachDiskNote: text("Proxmox VE attaches a guest's own unused disks only.", 'Proxmox VE 只能挂载来宾自己的未使用磁盘。'),
      resizeDiskNote: text('A disk only grows.', '磁盘只能增大。'),
      detachDiskNote: text('A detached disk stays on its storage as an unused disk of the guest, unless it is deleted.', '分离的磁盘作为来宾的未使用磁盘保留在存储上，除非将其删除。'),
    },
    // a node's bridges, bonds and VLANs under it, SDN zones and vnets under the cluster; Linux VLANs, bonds, bridges,
    // SDN zones and vnets made and deleted, then applied (PUT …/network, PUT /cluster/sdn) as the UI's "Apply
    // Configuration"; NICs are the guest config's netN
    networks: {
      tree: true,
      create: ['vlan', 'bond', 'bridge', 'zone', 'sdn'],
      createNote: text(
        'Polyvisor makes Linux VLANs, bonds and bridges (with their ports) on a node, SDN zones (simple, VLAN, QinQ, VXLAN) and vnets, and applies them at once; a vnet’s subnets are added and removed on its tab; EVPN zones and OVS interfaces are made in the Proxmox VE UI.',
        'Polyvisor 在节点上创建 Linux VLAN、绑定和网桥（含端口），创建 SDN 区域（simple、VLAN、QinQ、VXLAN）和 vnet，并立即应用；vnet 的子网在其选项卡上添加和删除；EVPN 区域和 OVS 接口请在 Proxmox VE 界面中创建。',
      ),
      delete: true,
      deleteNote: text('Deleting applies the node’s (or the SDN’s) other pending changes too, as Proxmox VE’s "Apply Configuration" does.', '删除时也会应用该节点（或 SDN）其他待定的更改，与 Proxmox VE 的“应用配置”相同。'),
      subnets: true,
      nics: { add: true, remove: true, move: true, note: text('A NIC goes on a bridge of the guest’s own node or on an SDN vnet.', '网卡只能连接到来宾所在节点的网桥或 SDN vnet。') },
    },
  },
  properties: proxmoxProperties,
};
