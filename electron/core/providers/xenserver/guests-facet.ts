// What XAPI can make, change and remove, in XenCenter's words (Properties: CPU,
// Memory with the dynamic range of Dynamic Memory Control, Boot Options, Tags;
// the Delete VM dialog's disks).

import type { GuestsFacet } from '../../../../shared/guests';
import { text } from '../common/standard-fields';

const MiB = 1024 ** 2;

export const xenServerGuestsFacet: GuestsFacet = {
  create: true,
  // VM.clone: copy-on-write disks on the same SR; VM.copy: full disks, on an SR of choice
  clone: ['fast', 'full'],
  toTemplate: true,
  // VM.set_is_a_template false (XenCenter has no command for it; built-in templates excepted)
  fromTemplate: true,
  // VM.destroy leaves every VDI; the provider destroys the VM's own ones unless they are kept
  keepDisks: true,
  settings: [
    { key: 'name', whileRunning: 'live' },
    { key: 'description', whileRunning: 'live' },
    {
      key: 'vcpus',
      label: text('Number of vCPUs', 'vCPU 数量'),
      hint: text('While the VM runs, up to its maximum number of vCPUs (VCPUs_max).', 'VM 运行时最多为其 vCPU 上限（VCPUs_max）。'),
      min: 1,
      whileRunning: 'live',
    },
    {
      key: 'memory.size',
      label: text('Static maximum', '静态最大值'),
      hint: text('Changes only while the VM is shut down.', '仅在 VM 关闭时可更改。'),
      min: 16 * MiB,
      whileRunning: 'no',
    },
    {
      key: 'memory.dynamic',
      label: text('Dynamic memory range', '动态内存范围'),
      hint: text('static minimum ≤ dynamic minimum ≤ dynamic maximum ≤ static maximum', '静态最小值 ≤ 动态最小值 ≤ 动态最大值 ≤ 静态最大值'),
      bounds: { min: text('Dynamic minimum', '动态最小值'), max: text('Dynamic maximum', '动态最大值') },
      min: 16 * MiB,
      whileRunning: 'live',
    },
    { key: 'cd', label: text('DVD drive', 'DVD 驱动器'), whileRunning: 'live' },
    { key: 'bootOrder', label: text('Boot order', '引导顺序'), whileRunning: 'next-boot' },
    { key: 'autoStart', label: text('Auto-start on server boot', '服务器启动时自动启动'), whileRunning: 'live' },
    { key: 'tags', whileRunning: 'live' },
  ],
  images: false,
};
