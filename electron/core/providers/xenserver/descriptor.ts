// What Polyvisor shows and asks for a XenServer / XCP-ng pool.

import type { ProviderDescriptor } from '../../../../shared/descriptor';
import { backoffOptions, choiceOption, defineOptions, integerOption, TUNING_LABELS } from '../common/options';
import { xenServerGuestsFacet } from './guests-facet';
import { XAPI_NOTIFICATIONS_FACET } from './notifications';
import { XAPI_METRICS_FACET } from './metrics/facet';
import { XAPI_LABELS_FACET } from './labels';
import type { TransportChoice } from './session';
import { FULL_VM_FACETS, hostField, passwordField, portField, text, usernameField, VM_NAME_AND_TIME } from '../common/standard-fields';

export const xenServerOptions = defineOptions({
  transport: choiceOption<TransportChoice>({
    label: text('API transport', 'API 传输方式'),
    advanced: true,
    default: 'auto',
    choices: [
      { value: 'auto', label: text('JSON-RPC, else XML-RPC', '优先 JSON-RPC，否则 XML-RPC') },
      { value: 'jsonrpc', label: text('JSON-RPC', 'JSON-RPC') },
      { value: 'xmlrpc', label: text('XML-RPC', 'XML-RPC') },
    ],
  }),
  eventTimeoutS: integerOption({ label: text('event.from wait (s)', 'event.from 等待时间（秒）'), advanced: true, default: 30, min: 1, max: 3600 }),
  ...backoffOptions({ minMs: 1_000, maxMs: 30_000 }),
  taskPollMs: integerOption({ label: TUNING_LABELS.taskPollMs, advanced: true, default: 500, min: 1 }),
  callTimeoutMs: integerOption({ label: TUNING_LABELS.callTimeoutMs, advanced: true, default: 120_000, min: 1 }),
});

export const xenServerDescriptor: ProviderDescriptor = {
  type: 'xenserver',
  displayName: text('XenServer / XCP-ng', 'XenServer / XCP-ng'),
  mark: { color: '#2f74b5', path: 'M4.5 4 l5 6 M9.5 4 l-5 6' },
  defaultPort: 443,
  fields: [hostField(), portField(443), usernameField(), passwordField(), ...xenServerOptions.fields],
  display: { address: [{ template: '{host}:{port}' }], login: [{ template: '{username}' }] },
  snapshotName: { defaultTemplate: VM_NAME_AND_TIME, maxLength: 255 },
  facets: {
    ...FULL_VM_FACETS,
    snapshotEdit: 'name-and-description',
    snapshotClone: true,
    snapshotToTemplate: true,
    // VMSS: the pool runs the schedules, with Polyvisor closed too
    serverPolicies: true,
    // Xapi_vmss.assert_retained_snapshots: a schedule keeps 1 to 10 snapshots per VM
    policyRetainMax: 10,
    // xapi leaves the VM suspended after reverting to a checkpoint: the provider resumes it (as XenCenter does)
    memoryRevertResumes: true,
    // VM.pool_migrate inside a pool; storage migration to another connected pool (host.migrate_receive + VM.migrate_send)
    migration: 'live',
    crossServerMigration: true,
    // XenCenter's words: host.disable, the VMs moved away, other_config MAINTENANCE_MODE
    maintenanceMode: text('Maintenance Mode', '维护模式'),
    // a host's control domain (dom0) text console: its vt100 console object, through CONNECT
    hostConsole: true,
    // XenCenter's Switch to Remote Desktop, and SSH, where the guest tools report the OS and an address
    externalViewers: ['rdp', 'ssh'],
    guests: xenServerGuestsFacet,
    notifications: XAPI_NOTIFICATIONS_FACET,
    metrics: XAPI_METRICS_FACET,
    // XenCenter's Users tab: Active Directory (pool.enable_external_auth), subjects with one of xapi's fixed RBAC roles
    access: { domainJoin: true, subjects: true, fixedRoles: true, acls: false, tokens: false, logoutSessions: true, loginHint: text('A domain user logs in as DOMAIN\\user.', '域用户以 DOMAIN\\user 登录。') },
    // SRs in the tree as XenCenter places them, their VDIs, SR.scan
    storage: {
      tree: true,
      contents: true,
      rescan: true,
      moveDisk: true,
      // a VM's disks (issue 16): VDI.create + VBD.create (+ VBD.plug), a free VDI attached, VDI.resize / resize_online, VBD.unplug + destroy (+ VDI.destroy)
      addDisk: true,
      attachDisk: true,
      resizeDisk: true,
      detachDisk: true,
      resizeDiskNote: text(
        "A disk only grows. While the VM runs it grows only where the SR's driver resizes online; otherwise shut the VM down first.",
        '磁盘只能增大。虚拟机运行时，只有 SR 的驱动支持在线调整时才能增大；否则请先关闭虚拟机。',
      ),
    },
    // XenCenter's tags and folders (other_config folder), read and written where XenCenter keeps them
    labels: XAPI_LABELS_FACET,
    // networks with their PIFs; pool-wide VLANs, bonds (Bond.create per host) and private networks made and deleted; VIFs added, removed and moved (VIF.move)
    networks: { tree: true, create: ['vlan', 'internal', 'bond'], delete: true, nics: { add: true, remove: true, move: true } },
  },
};
