// What Polyvisor shows and asks for a VMware ESXi host or vCenter.

import type { ProviderDescriptor } from '../../../../shared/descriptor';
import { backoffOptions, defineOptions, integerOption, textOption, TUNING_LABELS } from '../common/options';
import { hostField, passwordField, portField, text, usernameField, VM_NAME_AND_TIME } from '../common/standard-fields';
import { VSPHERE_LABELS_FACET } from './custom-tags';
import { vsphereGuestsFacet } from './guests-facet';
import { VSPHERE_METRICS_FACET } from './metrics-facet';
import { VSPHERE_NOTIFICATIONS_FACET } from './notifications';
import { vsphereProperties } from './property-reading';

export const vsphereOptions = defineOptions({
  maxWaitSeconds: integerOption({ label: text('WaitForUpdatesEx wait (s)', 'WaitForUpdatesEx 等待时间（秒）'), advanced: true, default: 30, min: 1, max: 3600 }),
  pageSize: integerOption({ label: text('Objects per page', '每页对象数'), advanced: true, default: 1000, min: 1, max: 100_000 }),
  ...backoffOptions({ minMs: 1_000, maxMs: 30_000 }),
  callTimeoutMs: integerOption({ label: TUNING_LABELS.callTimeoutMs, advanced: true, default: 120_000, min: 1 }),
  sdkPath: textOption({ label: text('SDK path', 'SDK 路径'), advanced: true, default: '/sdk', pattern: '/[A-Za-z0-9/._-]*', maxLength: 256 }),
});

export const vsphereDescriptor: ProviderDescriptor = {
  type: 'vsphere',
  displayName: text('VMware ESXi / vCenter', 'VMware ESXi / vCenter'),
  mark: { color: '#4f9a2b', path: 'M4.5 4.5 l2.5 5 l2.5 -5' },
  defaultPort: 443,
  fields: [
    hostField(),
    portField(443),
    usernameField({ placeholder: text('administrator@vsphere.local or root', 'administrator@vsphere.local 或 root') }),
    passwordField(),
    ...vsphereOptions.fields,
  ],
  display: { address: [{ template: '{host}:{port}' }], login: [{ template: '{username}' }] },
  snapshotName: { defaultTemplate: VM_NAME_AND_TIME, maxLength: 80 },
  facets: {
    snapshotKinds: ['disk', 'memory', 'quiesce'],
    consoles: [],
    powerActions: ['start', 'shutdown', 'force_shutdown', 'reboot', 'force_reboot', 'suspend', 'resume'],
    logs: false,
    revertRecreates: false,
    consoleShellChoice: false,
    // hosts: the ESXi shell is reached over SSH or the DCUI, not through the API
    hostConsole: false,
    // VMRC through a clone ticket (AcquireCloneTicket); RDP/SSH where VMware Tools report the guest's OS and address
    externalViewers: ['vmrc', 'rdp', 'ssh'],
    inAppConsoleNote: text(
      'A vSphere console inside this window needs a server that hands out WebMKS tickets (AcquireTicket("webmks")) and a WebMKS client; Polyvisor has neither tested yet, so it opens the VM in VMware Remote Console instead.',
      '在本窗口内显示 vSphere 控制台需要服务器提供 WebMKS 票据（AcquireTicket("webmks")）以及 WebMKS 客户端；Polyvisor 尚未对二者进行测试，因此改为在 VMware Remote Console 中打开该虚拟机。',
    ),
    // RenameSnapshot: name and description (vcsim 0.24 lacks the method and says so)
    snapshotEdit: 'name-and-description',
    // CloneVM_Task from the snapshot (vCenter only: a standalone ESXi host cannot clone)
    snapshotClone: true,
    snapshotToTemplate: true,
    // vCenter has no retention for scheduled tasks (and vcsim no ScheduledTaskManager): Polyvisor runs the policies
    serverPolicies: false,
    // a memory snapshot's VM runs on after the revert: powered on where the server left it off
    memoryRevertResumes: true,
    // RelocateVM_Task of a running VM to another host: vMotion (migration.ts)
    migration: 'live',
    crossServerMigration: false,
    maintenanceMode: text('Maintenance Mode', '维护模式'),
    guests: vsphereGuestsFacet,
    metrics: VSPHERE_METRICS_FACET,
    // Permissions: principals with a role on the root folder (AuthorizationManager, UserDirectory); vcsim 0.24 grants every privilege and enforces none
    access: { domainJoin: false, subjects: true, fixedRoles: false, acls: true, tokens: false, logoutSessions: false },
    notifications: VSPHERE_NOTIFICATIONS_FACET,
    // tags in a custom attribute (vcsim 0.24 has no tagging service); folders stay Polyvisor's own
    labels: VSPHERE_LABELS_FACET,
    // datastores under the datacenter, the VMs' disks on them, RefreshDatastore
    storage: {
      tree: true,
      contents: true,
      rescan: true,
      // vcsim 0.24's RelocateVM_Task ignores spec.disk, and with spec.datastore it only rewrites the VM's `datastore` list:
      // the disks' backings keep their old files and nothing is copied, so neither a disk move nor a whole-VM move can be tested
      moveDiskNote: text(
        'Polyvisor does not move vSphere disks yet: use the vSphere Client (Migrate → Change storage only).',
        'Polyvisor 尚不能移动 vSphere 磁盘：请使用 vSphere Client（迁移 → 仅更改存储）。',
      ),
      // a VM's disks (issue 16) by ReconfigVM_Task: add (fileOperation create), attach a free .vmdk (no fileOperation), grow (capacityInKB), remove (destroy when asked)
      addDisk: true,
      attachDisk: true,
      resizeDisk: true,
      detachDisk: true,
      // vcsim 0.24 names a new disk after the VM's first disk file
      addDiskNote: text('A new thin disk on the next free SCSI position.', '新的精简置备磁盘位于下一个空闲的 SCSI 位置。'),
      // vcsim 0.24 reports no capacity for its own disk files: their size shows as not reported, and an attached one as 0 KB
      attachDiskNote: text(
        'Lists the .vmdk files on the datastores of the VM’s host that no VM or snapshot uses (found with the datastore browser); the file is attached on the next free SCSI position. A file whose size the server does not report shows as not reported.',
        '列出虚拟机所在主机的数据存储上未被任何虚拟机或快照使用的 .vmdk 文件（通过数据存储浏览器查找）；文件挂载到下一个空闲的 SCSI 位置。服务器未报告大小的文件显示为未报告。',
      ),
      resizeDiskNote: text('A disk only grows.', '磁盘只能增大。'),
      detachDiskNote: text(
        'A detached disk’s file stays on its datastore, where Attach disk… finds it; deleting removes the file too (fileOperation destroy).',
        '分离后磁盘文件保留在其数据存储上，可通过“挂载磁盘…”找到；删除时也会删除该文件（fileOperation destroy）。',
      ),
    },
    // standard networks, distributed switches and their port groups; port groups made (AddDVPortgroup_Task, AddPortGroup per host) and deleted; adapters by ReconfigVM_Task
    networks: {
      tree: true,
      create: ['dvportgroup', 'standard'],
      // vcsim 0.24 refuses the same port group name on a second host of a datacenter (DuplicateName), which vCenter accepts:
      // a cluster-wide create is tested only as far as its rollback
      createNote: text(
        'A standard network is a port group of a standard vSwitch, made host by host (AddPortGroup) on one host or on every host of a cluster; if a host refuses, the port groups already made are removed again.',
        '标准网络是标准 vSwitch 上的端口组，逐台主机创建（AddPortGroup），可在一台主机或集群的每台主机上创建；若某台主机拒绝，已创建的端口组会被再次删除。',
      ),
      delete: true,
      // vcsim 0.24 does not refuse removing a port group a VM's adapter uses, so that refusal is untested
      deleteNote: text(
        'A standard network is removed from every host that has its port group (RemovePortGroup); ESXi refuses while a VM’s adapter uses it. A distributed switch itself stays.',
        '标准网络会从每台拥有其端口组的主机上删除（RemovePortGroup）；当有虚拟机的网络适配器在使用它时，ESXi 会拒绝。分布式交换机本身保留。',
      ),
      nics: { add: true, remove: true, move: true },
    },
  },
  properties: vsphereProperties,
};
