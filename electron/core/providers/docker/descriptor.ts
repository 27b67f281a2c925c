// What Polyvisor shows and asks for a Docker engine: a local socket, TCP with TLS, or SSH.

import type { FieldValue, ProviderDescriptor } from '../../../../shared/descriptor';
import { backoffOptions, booleanOption, choiceOption, defineOptions, textOption } from '../common/options';
import { hostField, passwordField, portField, text, usernameField } from '../common/standard-fields';
import { dockerProperties } from './property-reading';
import { DOCKER_METRICS_FACET } from './metrics-facet';
import { DOCKER_NOTIFICATIONS_FACET } from './notifications';
import { DOCKER_LABELS_FACET } from './labels-facet';

export const DEFAULT_SOCKET = process.platform === 'win32' ? '//./pipe/docker_engine' : '/var/run/docker.sock';

const notSocket = { field: 'connection', notEquals: 'socket' } as const;
const onlySsh = { field: 'connection', equals: 'ssh' } as const;

export const dockerOptions = defineOptions({
  connection: choiceOption({
    label: text('Connection', '连接方式'),
    default: 'tcp',
    choices: [
      { value: 'tcp', label: text('TCP with TLS', 'TCP（TLS）') },
      { value: 'socket', label: text('Local socket', '本地套接字') },
      { value: 'ssh', label: text('SSH', 'SSH') },
    ],
  }),
  socketPath: textOption({
    label: text('Socket path', '套接字路径'),
    type: 'path',
    default: DEFAULT_SOCKET,
    required: true,
    maxLength: 1024,
    when: { field: 'connection', equals: 'socket' },
  }),
  certDir: textOption({
    label: text('Client certificate folder', '客户端证书目录'),
    type: 'path',
    placeholder: text('folder with ca.pem, cert.pem, key.pem (optional)', '包含 ca.pem、cert.pem、key.pem 的目录（可选）'),
    maxLength: 1024,
    when: { field: 'connection', equals: 'tcp' },
  }),
  privateKeyPath: textOption({ label: text('Private key file', '私钥文件'), type: 'path', maxLength: 1024, when: onlySsh }),
  tls: booleanOption({ label: text('TLS (off only for an engine deliberately exposed without it)', 'TLS（仅当引擎有意不用 TLS 时关闭）'), advanced: true, default: true }),
  // a local engine restarts in about a second: retry quickly, and never wait long
  ...backoffOptions({ minMs: 250, maxMs: 5_000 }),
});

export const dockerDescriptor: ProviderDescriptor = {
  type: 'docker',
  displayName: text('Docker Engine', 'Docker 引擎'),
  mark: { color: '#1d8fe0', path: 'M4 8 h2 v2 h-2 z M6.5 8 h2 v2 h-2 z M6.5 5.5 h2 v2 h-2 z' },
  defaultPort: 2376,
  fields: [
    dockerOptions.fields[0],
    hostField({ when: notSocket, valueWhenHidden: 'localhost' }),
    portField(2376, { when: notSocket }),
    ...dockerOptions.fields.slice(1),
    // only SSH logs in: elsewhere no user name, so no password is asked for
    usernameField({ when: onlySsh, valueWhenHidden: '' }),
    passwordField({ when: onlySsh, label: text('Password or key passphrase', '密码或私钥口令') }),
  ],
  display: {
    address: [
      { when: { field: 'connection', equals: 'socket' }, template: '{socketPath}' },
      { when: onlySsh, template: 'ssh://{host}:{port}' },
      { template: '{host}:{port}' },
    ],
    login: [{ when: onlySsh, template: '{username}' }, { template: '' }],
  },
  snapshotName: { defaultTemplate: '{vm}-{yyyy}{MM}{dd}-{HH}{mm}{ss}', maxLength: 128 },
  facets: {
    snapshotKinds: ['disk', 'volumes', 'memory'],
    consoles: ['text'],
    powerActions: ['start', 'shutdown', 'force_shutdown', 'reboot', 'force_reboot', 'pause', 'unpause'],
    logs: true,
    revertRecreates: true,
    consoleShellChoice: true,
    // name and description are image labels, which Docker cannot change after the commit
    snapshotEdit: 'none',
    // a new container from the snapshot image, with the original's configuration and copies of its volumes
    snapshotClone: true,
    // Docker has no templates
    snapshotToTemplate: false,
    serverPolicies: false,
    memoryRevertResumes: false,
    // no second host inside an engine; a container moves to another engine, stopped (container-move.ts)
    migration: 'offline',
    crossServerMigration: true,
    // containers from images; no clone (a snapshot makes a new container: snapshotClone), no templates
    metrics: DOCKER_METRICS_FACET,
    notifications: DOCKER_NOTIFICATIONS_FACET,
    guests: {
      create: true,
      clone: [],
      toTemplate: false,
      fromTemplate: false,
      keepDisks: true,
      images: true,
      settings: [
        { key: 'name', whileRunning: 'live' },
        { key: 'memory.size', label: text('Memory limit', '内存限制'), hint: text('0 = no limit', '0 表示不限制'), min: 0, whileRunning: 'live' },
        { key: 'memory.reservation', label: text('Memory reservation', '内存预留'), hint: text('a soft limit the engine enforces when memory runs short', '内存紧张时引擎执行的软限制'), min: 0, whileRunning: 'live' },
        { key: 'cpuLimit', label: text('CPU limit (cores)', 'CPU 限制（核）'), hint: text('0 = no limit', '0 表示不限制'), min: 0, whileRunning: 'live' },
        { key: 'restartPolicy', label: text('Restart policy', '重启策略'), whileRunning: 'live' },
      ],
    },
    // a container's labels are its tags, fixed once made
    labels: DOCKER_LABELS_FACET,
    // named volumes are the engine's storage: which containers mount each; nothing to rescan
    storage: {
      tree: true,
      contents: true,
      rescan: false,
      rescanNote: text('A Docker engine has nothing to rescan: its volumes are read as they change.', 'Docker 引擎无需重新扫描：卷在变化时即被读取。'),
      moveDiskNote: text('A named volume stays in its engine: Docker does not move volumes.', '命名卷保留在其引擎中：Docker 不移动卷。'),
      // a container's mounts are fixed when it is created (issue 16)
      addDiskNote: text("A container's mounts cannot change after it is created: make a new container with the volume.", '容器创建后无法更改其挂载：请使用该卷创建新容器。'),
      attachDiskNote: text("A container's mounts cannot change after it is created: make a new container with the volume.", '容器创建后无法更改其挂载：请使用该卷创建新容器。'),
      resizeDiskNote: text('A Docker volume has no size to change: it takes what its driver gives it.', 'Docker 卷没有可更改的大小：其大小由卷驱动决定。'),
      detachDiskNote: text("A container's mounts cannot change after it is created: make a new container without the volume.", '容器创建后无法更改其挂载：请创建不含该卷的新容器。'),
    },
    // networks under the engine; network create/rm; a container's networks joined and left (connect/disconnect)
    networks: {
      tree: true,
      create: ['container'],
      createNote: text('Docker makes networks of its drivers; VLANs and bonds of NICs belong to the host’s own network configuration.', 'Docker 按其驱动创建网络；VLAN 和网卡绑定属于主机自身的网络配置。'),
      delete: true,
      nics: { add: true, remove: true, move: true },
    },
  },
  actionLabels: {
    shutdown: text('Stop', '停止'),
    force_shutdown: text('Kill', '强制终止'),
    reboot: text('Restart', '重启'),
    force_reboot: text('Restart now', '立即重启'),
  },
  properties: dockerProperties,
};

/** Saved servers from before the connection choice existed: infer it from what they hold. */
export function normalizeDockerOptions(server: { host: string; options: Record<string, FieldValue> }): Record<string, FieldValue> {
  const options = { ...server.options };
  if (typeof options.connection === 'string') return options;
  const host = server.host.trim();
  if (typeof options.socketPath === 'string' && options.socketPath) options.connection = 'socket';
  else if (!host) {
    options.connection = 'socket';
    options.socketPath = DEFAULT_SOCKET;
  }
  else if (host.startsWith('unix://') || host.startsWith('npipe://') || host.startsWith('/') || host.startsWith('//./pipe/')) {
    options.connection = 'socket';
    options.socketPath = host.replace(/^unix:\/\//, '').replace(/^npipe:\/\//, '');
  } else if (host.startsWith('ssh://') || options.ssh === true) options.connection = 'ssh';
  else options.connection = 'tcp';
  delete options.ssh;
  return options;
}
