// Which disk files a vSphere VM uses (issue 16's attach), read from the shapes a real ESXi
// sends and vcsim 0.24 does not make: a disk running on a snapshot delta (its backing's
// parent chain) and a snapshot's disk chain in layoutEx, keyed into layoutEx.file. The
// attach integration test covers what vcsim does make; these cover the rest.

import { describe, expect, it } from 'vitest';
import { samePath, usedBy } from '../../electron/core/providers/vsphere/disk-files';
import { datastoreFilePath } from '../../electron/core/providers/vsphere/datastore-search';
import { parseXml, type XmlNode } from '../../electron/core/providers/vsphere/xml';

const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const doc = (inner: string): XmlNode => parseXml(`<val ${XSI}>${inner}</val>`).val!;

const DEVICES = doc(`
  <VirtualDevice xsi:type="VirtualIDEController"><key>200</key></VirtualDevice>
  <VirtualDevice xsi:type="VirtualDisk"><key>2000</key>
    <backing xsi:type="VirtualDiskFlatVer2BackingInfo"><fileName>[ds1] web/web-000002.vmdk</fileName>
      <parent xsi:type="VirtualDiskFlatVer2BackingInfo"><fileName>[ds1] web/web-000001.vmdk</fileName>
        <parent xsi:type="VirtualDiskFlatVer2BackingInfo"><fileName>[ds1] web/web.vmdk</fileName></parent>
      </parent>
    </backing><controllerKey>1000</controllerKey><unitNumber>0</unitNumber><capacityInKB>1024</capacityInKB></VirtualDevice>`);

const LAYOUT_FILES = doc(`
  <VirtualMachineFileLayoutExFileInfo><key>4</key><name>[ds1] web/web.vmdk</name><type>diskDescriptor</type></VirtualMachineFileLayoutExFileInfo>
  <VirtualMachineFileLayoutExFileInfo><key>5</key><name>[ds1] web/web-flat.vmdk</name><type>diskExtent</type></VirtualMachineFileLayoutExFileInfo>
  <VirtualMachineFileLayoutExFileInfo><key>9</key><name>[ds2] old/data.vmdk</name><type>diskDescriptor</type></VirtualMachineFileLayoutExFileInfo>
  <VirtualMachineFileLayoutExFileInfo><key>10</key><name>[ds1] web/web-Snapshot1.vmsn</name><type>snapshotData</type></VirtualMachineFileLayoutExFileInfo>`);

const LAYOUT_SNAPSHOTS = doc(`
  <VirtualMachineFileLayoutExSnapshotLayout><key type="VirtualMachineSnapshot">snapshot-1</key><dataKey>10</dataKey>
    <disk><key>2000</key><chain><fileKey>4</fileKey><fileKey>5</fileKey></chain></disk>
    <disk><key>2001</key><chain><fileKey>9</fileKey></chain></disk>
  </VirtualMachineFileLayoutExSnapshotLayout>`);

describe('vSphere disk files in use', () => {
  it('a running disk and every delta below it, and each disk a snapshot holds (also one since removed from the VM)', () => {
    expect(usedBy(DEVICES, LAYOUT_FILES, LAYOUT_SNAPSHOTS).sort()).toEqual(
      ['[ds1] web/web-000002.vmdk', '[ds1] web/web-000001.vmdk', '[ds1] web/web.vmdk', '[ds1] web/web.vmdk', '[ds1] web/web-flat.vmdk', '[ds2] old/data.vmdk'].sort(),
    );
  });

  it('a VM without disks or snapshots uses nothing', () => {
    expect(usedBy(undefined, undefined, undefined)).toEqual([]);
  });

  it('one file however the server spells its path', () => {
    expect(samePath(' [ds1]  /web//web.vmdk ')).toBe('[ds1] web/web.vmdk');
    expect(samePath('[ds1] web/web.vmdk')).toBe('[ds1] web/web.vmdk');
    expect(datastoreFilePath('[ds1]/web', 'web.vmdk')).toBe('[ds1] web/web.vmdk');
    expect(datastoreFilePath('[ds1] web/', 'web.vmdk')).toBe('[ds1] web/web.vmdk');
    expect(datastoreFilePath('[ds1]', 'spare.vmdk')).toBe('[ds1] spare.vmdk');
  });
});
