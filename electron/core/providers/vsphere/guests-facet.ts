// What vSphere can make, change and remove, in the vSphere Client's words
// (Edit Settings: CPU, Memory with Reservation / Limit / Shares, CD/DVD drive,
// Boot Options; the annotation is its Notes).

import type { GuestsFacet } from '../../../../shared/guests';
import { text } from '../common/standard-fields';
import { vsphereCustomizationFacet } from './customization';

const MB = 1024 * 1024;

export const vsphereGuestsFacet: GuestsFacet = {
  create: true,
  // vSphere makes linked clones only from a snapshot (CloneVM_Task with diskMoveType
  // createNewChildDiskBacking and spec.snapshot). Not offered: the peer Polyvisor is
  // tested against, vcsim 0.24, ignores diskMoveType and spec.snapshot and copies every
  // disk with no parent backing, so a linked clone could not be shown to be one.
  clone: ['full'],
  cloneNote: text(
    'Fast (linked) clones are not offered for vSphere: Polyvisor cannot yet verify them against its test server (vcsim), which copies every disk in full. A clone here is always a full copy.',
    'vSphere 不提供快速（链接）克隆：Polyvisor 的测试服务器 (vcsim) 总是完整复制每个磁盘，无法验证链接克隆。此处的克隆始终是完整副本。',
  ),
  customization: vsphereCustomizationFacet,
  toTemplate: true,
  fromTemplate: true,
  // Destroy_Task deletes the VM's files; UnregisterVM removes it from the inventory and keeps them
  keepDisks: true,
  settings: [
    { key: 'name', whileRunning: 'live' },
    { key: 'description', label: text('Notes', '备注'), whileRunning: 'live' },
    {
      key: 'vcpus',
      label: text('CPU', 'CPU'),
      hint: text('While powered on only with CPU Hot Add enabled (fewer: CPU Hot Remove).', '开机时仅在启用 CPU 热添加时可改（减少需启用 CPU 热移除）。'),
      min: 1,
      max: 768,
      whileRunning: 'no',
      liveWithHotAdd: 'cpu',
    },
    {
      key: 'memory.size',
      label: text('Memory', '内存'),
      hint: text('While powered on only upwards, with Memory Hot Add enabled.', '开机时仅在启用内存热插拔时可增加。'),
      min: 4 * MB,
      max: 24 * 1024 ** 4,
      whileRunning: 'no',
      liveWithHotAdd: 'memory',
    },
    { key: 'memory.reservation', label: text('Reservation', '预留'), min: 0, whileRunning: 'live' },
    { key: 'memory.limit', label: text('Limit', '限制'), hint: text('0 = Unlimited', '0 = 不受限制'), min: 0, whileRunning: 'live' },
    { key: 'memory.shares', label: text('Shares', '份额'), min: 0, max: 1_000_000, whileRunning: 'live' },
    { key: 'cd', label: text('CD/DVD drive', 'CD/DVD 驱动器'), whileRunning: 'live' },
    { key: 'bootOrder', label: text('Boot order', '引导顺序'), whileRunning: 'next-boot' },
  ],
  images: false,
};
