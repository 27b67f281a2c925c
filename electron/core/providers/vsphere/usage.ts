// Live usage of vSphere VMs and hosts from what vCenter already keeps on each object,
// summary.quickStats, read for every row on screen in one RetrievePropertiesEx instead
// of one PerformanceManager query per row: a VM's CPU is overallCpuUsage (MHz) against
// what it may use (runtime.maxCpuUsage, else its host's MHz × its vCPUs), its memory
// guestMemoryUsage (the guest's active memory, MB) of summary.config.memorySizeMB; a
// host's overallCpuUsage against cpuMhz × cores, overallMemoryUsage (MB) of memorySize.
// A value quickStats leaves out is left out here (no guessing); a host's MHz is asked
// once per session for the VMs that need it.

import type { ProviderUsage, ProviderUsageReading } from '../provider';
import { retrieveObjects, type ObjectContent } from './property-collector';
import type { VimClient } from './vim-client';
import { child, readMoRef, readNumber, type XmlNode } from './xml';

const MIB = 1024 ** 2;

const VM_PATHS = ['summary.quickStats', 'summary.config.numCpu', 'summary.config.memorySizeMB', 'runtime.host', 'runtime.maxCpuUsage'];
const HOST_PATHS = ['summary.quickStats', 'summary.hardware'];

export class VsphereUsage implements ProviderUsage {
  private hostMhz: { generation: number; byHost: Map<string, number> } | undefined;

  constructor(private readonly client: () => VimClient) {}

  async sample(targets: Array<{ nativeRef: string; kind: string }>): Promise<ProviderUsageReading[]> {
    const client = this.client();
    const objs = targets.map((t) => ({ type: t.kind === 'host' ? 'HostSystem' : 'VirtualMachine', value: t.nativeRef }));
    const contents = await retrieveObjects(client, objs, { VirtualMachine: VM_PATHS, HostSystem: HOST_PATHS });
    const hosts = contents.filter((c) => c.obj.type === 'HostSystem');
    const mhz = this.mhzCache(client);
    for (const h of hosts) {
      const speed = readNumber(child(h.props.get('summary.hardware'), 'cpuMhz'));
      if (speed !== undefined) mhz.set(h.obj.value, speed);
    }
    const unknownHosts = [...new Set(contents.flatMap((c) => (c.obj.type === 'VirtualMachine' ? [readMoRef(c.props.get('runtime.host'))?.value] : [])))].filter(
      (h): h is string => h !== undefined && !mhz.has(h),
    );
    if (unknownHosts.length > 0) {
      const more = await retrieveObjects(client, unknownHosts.map((value) => ({ type: 'HostSystem', value })), { HostSystem: ['summary.hardware.cpuMhz'] });
      for (const h of more) {
        const speed = readNumber(h.props.get('summary.hardware.cpuMhz'));
        if (speed !== undefined) mhz.set(h.obj.value, speed);
      }
    }
    return contents.map((c) => (c.obj.type === 'HostSystem' ? hostReading(c) : vmReading(c, mhz)));
  }

  private mhzCache(client: VimClient): Map<string, number> {
    if (this.hostMhz?.generation !== client.generation) this.hostMhz = { generation: client.generation, byHost: new Map() };
    return this.hostMhz.byHost;
  }
}

function vmReading(c: ObjectContent, mhz: Map<string, number>): ProviderUsageReading {
  const stats = c.props.get('summary.quickStats');
  const used = readNumber(child(stats, 'overallCpuUsage'));
  const host = readMoRef(c.props.get('runtime.host'))?.value;
  const vcpus = readNumber(c.props.get('summary.config.numCpu'));
  const hostSpeed = host === undefined ? undefined : mhz.get(host);
  const capacity = readNumber(c.props.get('runtime.maxCpuUsage')) ?? (hostSpeed !== undefined && vcpus !== undefined ? hostSpeed * vcpus : undefined);
  const memoryMb = readNumber(c.props.get('summary.config.memorySizeMB'));
  return {
    nativeRef: c.obj.value,
    cpu: ratio(used, capacity),
    memoryUsed: megabytes(readNumber(child(stats, 'guestMemoryUsage'))),
    memoryTotal: megabytes(memoryMb),
  };
}

function hostReading(c: ObjectContent): ProviderUsageReading {
  const stats = c.props.get('summary.quickStats');
  const hardware: XmlNode | undefined = c.props.get('summary.hardware');
  const speed = readNumber(child(hardware, 'cpuMhz'));
  const cores = readNumber(child(hardware, 'numCpuCores'));
  return {
    nativeRef: c.obj.value,
    cpu: ratio(readNumber(child(stats, 'overallCpuUsage')), speed !== undefined && cores !== undefined ? speed * cores : undefined),
    memoryUsed: megabytes(readNumber(child(stats, 'overallMemoryUsage'))),
    memoryTotal: readNumber(child(hardware, 'memorySize')),
  };
}

function ratio(used: number | undefined, capacity: number | undefined): number | undefined {
  return used === undefined || capacity === undefined || capacity <= 0 ? undefined : used / capacity;
}

function megabytes(mb: number | undefined): number | undefined {
  return mb === undefined ? undefined : mb * MIB;
}
