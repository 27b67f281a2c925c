// Reading a PVE guest configuration for the Properties dialog and writing its
// changes back: the balloon's three meanings, cores × sockets, boot orders old
// and new, the CD drive beside a cloud-init drive, and what PVE has no option for.

import { describe, expect, it } from 'vitest';
import { bootOrderOf, cdDriveOf, memoryOf, propertiesOf, vcpusOf } from '../../electron/core/providers/proxmox/guest-config';
import { changeParams, settingOf } from '../../electron/core/providers/proxmox/guest-changes';
import { isPolyvisorError } from '../../shared/errors';

const MiB = 1024 * 1024;

describe('Proxmox guest configuration', () => {
  it('reads the balloon: absent = no range, 0 = off, N = the minimum; containers have none', () => {
    expect(memoryOf('qemu', { memory: '4096' })).toEqual({ sizeBytes: 4096 * MiB, dynamicMinBytes: 4096 * MiB, dynamicMaxBytes: 4096 * MiB });
    expect(memoryOf('qemu', { memory: 'current=4096', balloon: 0 })).toEqual({ sizeBytes: 4096 * MiB });
    expect(memoryOf('qemu', { memory: 4096, balloon: 1024 })).toEqual({ sizeBytes: 4096 * MiB, dynamicMinBytes: 1024 * MiB, dynamicMaxBytes: 4096 * MiB });
    expect(memoryOf('lxc', { memory: 512, swap: 512 })).toEqual({ sizeBytes: 512 * MiB });
    // unset: PVE's default of 512 MiB
    expect(memoryOf('qemu', {}).sizeBytes).toBe(512 * MiB);
  });

  it('counts vCPUs as cores × sockets unless vcpus says otherwise', () => {
    expect(vcpusOf('qemu', { cores: 2, sockets: 2 })).toBe(4);
    expect(vcpusOf('qemu', { cores: 4, sockets: 2, vcpus: 6 })).toBe(6);
    expect(vcpusOf('qemu', {})).toBe(1);
    expect(vcpusOf('lxc', {})).toBeUndefined();
  });

  it('reads boot orders in both of PVE\'s spellings, and the CD drive beside a cloud-init drive', () => {
    const cfg = { scsi0: 'local-lvm:vm-1-disk-0,size=8G', ide0: 'local-lvm:vm-1-cloudinit,media=cdrom', ide2: 'local:iso/a.iso,media=cdrom', net0: 'virtio=BC:24:11:00:00:01,bridge=vmbr0' };
    expect(bootOrderOf({ ...cfg, boot: 'order=ide2;scsi0;net0' })).toEqual(['cd', 'disk', 'network']);
    expect(bootOrderOf({ boot: 'cdn' })).toEqual(['disk', 'cd', 'network']);
    expect(cdDriveOf(cfg)).toEqual({ key: 'ide2', isoId: 'local:iso/a.iso' });
    expect(cdDriveOf({ ide2: 'none,media=cdrom' })).toEqual({ key: 'ide2', isoId: null });
    const props = propertiesOf('qemu', 1, { ...cfg, digest: 'abc', tags: 'a;b', onboot: 1 });
    expect(props).toMatchObject({ name: 'VM 1', autoStart: true, tags: ['a', 'b'], revision: 'abc', cd: { isoId: 'local:iso/a.iso' } });
    expect(props.disks).toEqual([{ id: 'local-lvm:vm-1-disk-0', name: 'vm-1-disk-0', sizeBytes: 8 * 1024 ** 3, storageName: 'local-lvm', device: 'scsi0' }]);
  });

  it('reads odd values without throwing', () => {
    expect(() => propertiesOf('qemu', 1, { boot: 7, memory: 'lots', scsi0: '', net0: 'e1000', tags: 3 })).not.toThrow();
    expect(() => propertiesOf('lxc', 1, { rootfs: 'x', net0: 'name=eth0', memory: -1 })).not.toThrow();
  });

  it('writes changes as PVE options: sockets kept when they divide, the digest sent, cleared options deleted', () => {
    expect(changeParams('qemu', { vcpus: 4, tags: [], autoStart: false }, { sockets: 2, digest: 'd1' })).toEqual({ cores: 2, onboot: 0, delete: 'tags', digest: 'd1' });
    expect(changeParams('qemu', { vcpus: 3, revision: 'mine' }, { sockets: 2, digest: 'd1' })).toEqual({ sockets: 1, cores: 3, digest: 'mine' });
    expect(changeParams('qemu', { memory: { sizeBytes: 2048 * MiB, dynamicMinBytes: 0 } }, {})).toEqual({ memory: 2048, balloon: 0 });
    expect(changeParams('lxc', { name: 'ct', vcpus: 2 }, {})).toEqual({ hostname: 'ct', cores: 2 });
    expect(settingOf('balloon')).toBe('memory.dynamic');
    expect(settingOf('ide2')).toBe('cd');
  });

  it('refuses what PVE has no option for, naming the field', () => {
    const refused = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isPolyvisorError(e) ? [e.info.code, e.info.field] : e;
      }
      return 'accepted';
    };
    expect(refused(() => changeParams('lxc', { memory: { dynamicMinBytes: MiB * 64 } }, {}))).toEqual(['UNSUPPORTED', 'memory.dynamicMinBytes']);
    expect(refused(() => changeParams('qemu', { memory: { staticMinBytes: MiB * 64 } }, {}))).toEqual(['UNSUPPORTED', 'memory.staticMinBytes']);
    expect(refused(() => changeParams('qemu', { memory: { sizeBytes: 1000 } }, {}))).toEqual(['INVALID_INPUT', 'memory.sizeBytes']);
    expect(refused(() => changeParams('qemu', { restartPolicy: 'always' }, {}))).toEqual(['UNSUPPORTED', 'restartPolicy']);
    expect(refused(() => changeParams('qemu', { bootOrder: ['floppy'] }, {}))).toEqual(['INVALID_INPUT', 'bootOrder']);
  });
});
