// The connection fields most providers share, so each descriptor lists only what differs.

import type { ConnectionField, LocalizedText, ProviderFacets } from '../../../../shared/descriptor';
import { POWER_ACTIONS } from '../../../../shared/model';

export function hostField(overrides: Partial<ConnectionField> = {}): ConnectionField {
  return {
    key: 'host',
    type: 'text',
    label: { en: 'Address', 'zh-CN': '地址' },
    placeholder: { en: 'host name or IP address', 'zh-CN': '主机名或 IP 地址' },
    required: true,
    maxLength: 1024,
    ...overrides,
  };
}

export function portField(defaultPort: number, overrides: Partial<ConnectionField> = {}): ConnectionField {
  return { key: 'port', type: 'integer', label: { en: 'Port', 'zh-CN': '端口' }, default: defaultPort, min: 1, max: 65535, required: true, ...overrides };
}

export function usernameField(overrides: Partial<ConnectionField> = {}): ConnectionField {
  return { key: 'username', type: 'text', label: { en: 'User name', 'zh-CN': '用户名' }, default: 'root', required: true, maxLength: 256, ...overrides };
}

export function passwordField(overrides: Partial<ConnectionField> = {}): ConnectionField {
  return { key: 'password', type: 'secret', label: { en: 'Password', 'zh-CN': '密码' }, secret: true, ...overrides };
}

/** A VM platform with every power action, disk and memory snapshots, graphical and text consoles (XAPI, Proxmox VE). */
export const FULL_VM_FACETS: ProviderFacets = {
  snapshotKinds: ['disk', 'memory'],
  consoles: ['rfb', 'text'],
  powerActions: [...POWER_ACTIONS],
  logs: false,
  revertRecreates: false,
  consoleShellChoice: false,
  snapshotEdit: 'none',
  snapshotClone: false,
  snapshotToTemplate: false,
  serverPolicies: false,
  memoryRevertResumes: false,
  migration: 'none',
  crossServerMigration: false,
};

/** XenCenter's default snapshot name: the VM's name and the local date and time. */
export const VM_NAME_AND_TIME = '{vm} {yyyy}-{MM}-{dd} {HH}:{mm}:{ss}';

export const text = (en: string, zh: string): LocalizedText => ({ en, 'zh-CN': zh });
