// How the details pages read vSphere's properties: the VM's raw power state repeats its
// state; guest ids (what vcsim and hosts without tools report as the OS), power and
// connection states in words.

import type { PropertyReading } from '../../../../shared/property-reading';
import { text } from '../common/standard-fields';

export const vsphereProperties: PropertyReading = {
  hidden: { vm: ['powerState'], template: ['powerState'] },
  // with tools running the OS is the guest's full name, already in words
  openValues: ['os'],
  values: {
    powerState: {
      poweredOn: text('Powered on', '已开机'),
      poweredOff: text('Powered off', '已关机'),
      suspended: text('Suspended', '已挂起'),
    },
    // the kind of inventory folder a pool node stands for
    type: {
      datacenter: text('Datacenter', '数据中心'),
    },
    connectionState: {
      connected: text('Connected', '已连接'),
      disconnected: text('Disconnected', '已断开'),
      notResponding: text('Not responding', '无响应'),
    },
    // VirtualMachineGuestOsIdentifier: the guest id stands in for the OS name where tools never ran
    os: {
      otherGuest: text('Other (32-bit)', '其他（32 位）'),
      otherGuest64: text('Other (64-bit)', '其他（64 位）'),
      otherLinuxGuest: text('Other Linux (32-bit)', '其他 Linux（32 位）'),
      otherLinux64Guest: text('Other Linux (64-bit)', '其他 Linux（64 位）'),
      ubuntuGuest: text('Ubuntu Linux (32-bit)', 'Ubuntu Linux（32 位）'),
      ubuntu64Guest: text('Ubuntu Linux (64-bit)', 'Ubuntu Linux（64 位）'),
      debian10_64Guest: text('Debian GNU/Linux 10 (64-bit)', 'Debian GNU/Linux 10（64 位）'),
      debian11_64Guest: text('Debian GNU/Linux 11 (64-bit)', 'Debian GNU/Linux 11（64 位）'),
      centos64Guest: text('CentOS 4/5 or later (64-bit)', 'CentOS 4/5 或更高版本（64 位）'),
      rhel7_64Guest: text('Red Hat Enterprise Linux 7 (64-bit)', 'Red Hat Enterprise Linux 7（64 位）'),
      rhel8_64Guest: text('Red Hat Enterprise Linux 8 (64-bit)', 'Red Hat Enterprise Linux 8（64 位）'),
      windows9Guest: text('Microsoft Windows 10 (32-bit)', 'Microsoft Windows 10（32 位）'),
      windows9_64Guest: text('Microsoft Windows 10 (64-bit)', 'Microsoft Windows 10（64 位）'),
      windows2019srv_64Guest: text('Microsoft Windows Server 2019 (64-bit)', 'Microsoft Windows Server 2019（64 位）'),
    },
  },
};
