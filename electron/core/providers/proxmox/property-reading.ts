// How the details pages read Proxmox VE's properties: node, status and guest type repeat
// the parent host, the state and the kind; locks and HA states in words (pve-api-schema).

import type { PropertyReading } from '../../../../shared/property-reading';
import { text } from '../common/standard-fields';

const GUEST_REPEATS = ['node', 'status', 'type'];

export const proxmoxProperties: PropertyReading = {
  hidden: { vm: GUEST_REPEATS, container: GUEST_REPEATS, template: GUEST_REPEATS, host: ['node', 'status'] },
  values: {
    lock: {
      backup: text('Backup running', '正在备份'),
      clone: text('Being cloned', '正在克隆'),
      create: text('Being created', '正在创建'),
      migrate: text('Migrating', '正在迁移'),
      rollback: text('Reverting to a snapshot', '正在还原到快照'),
      snapshot: text('Taking a snapshot', '正在创建快照'),
      'snapshot-delete': text('Deleting a snapshot', '正在删除快照'),
      suspending: text('Suspending', '正在挂起'),
      suspended: text('Suspended', '已挂起'),
      mounted: text('Disk mounted', '磁盘已挂载'),
      disk: text('Disk operation', '磁盘操作中'),
      destroyed: text('Being destroyed', '正在销毁'),
      'fstrim': text('Trimming the file system', '正在整理文件系统'),
    },
    hastate: {
      started: text('Started', '已启动'),
      stopped: text('Stopped', '已停止'),
      enabled: text('Enabled', '已启用'),
      disabled: text('Disabled', '已禁用'),
      ignored: text('Ignored', '已忽略'),
      error: text('Error', '错误'),
      fence: text('Fencing', '正在隔离'),
      freeze: text('Frozen', '已冻结'),
      migrate: text('Migrating', '正在迁移'),
      relocate: text('Relocating', '正在重新定位'),
      recovery: text('Recovering', '正在恢复'),
      request_start: text('Start requested', '已请求启动'),
      request_stop: text('Stop requested', '已请求停止'),
    },
  },
};
