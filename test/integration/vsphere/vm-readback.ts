// One vSphere VM as vcsim itself holds it, read through an independent SOAP session (RawSoap:
// a ContainerView, not the provider's traversal), and the datastore's HTTP file service
// (vSphere's /folder URL). Used by the vSphere guests integration test and e2e (issue 14).
import https from 'node:https';
import type { Vcsim } from '../../peers/vcsim';
import { text, type RawSoap, type Ref } from './raw-soap';

export type Node = Record<string, unknown>;
export const list = (v: unknown): Node[] => (v === undefined || v === null ? [] : Array.isArray(v) ? (v as Node[]) : [v as Node]);

/** One VM as the simulator holds it: hardware, allocation, devices, template flag. */
export interface ServerVm {
  ref: Ref;
  numCPU: number;
  memoryMB: number;
  template: boolean;
  power: string;
  annotation: string;
  reservationMB: number;
  limitMB: number;
  shares: number;
  disks: Array<{ kb: number; file: string }>;
  nics: Array<{ network: string; mac: string }>;
  cdroms: Array<{ iso: string }>;
}

export async function serverVm(raw: RawSoap, name: string): Promise<ServerVm | undefined> {
  const paths = ['name', 'config.hardware.numCPU', 'config.hardware.memoryMB', 'config.template', 'runtime.powerState', 'config.annotation', 'config.memoryAllocation', 'config.hardware.device'];
  const vm = (await raw.objects('VirtualMachine', paths)).find((v) => text(v.props.name) === name);
  if (!vm) return undefined;
  const allocation = vm.props['config.memoryAllocation'] as Node | undefined;
  const devices = list((vm.props['config.hardware.device'] as Node | undefined)?.VirtualDevice);
  const typed = (t: string) => devices.filter((d) => d['@_type'] === t);
  return {
    ref: vm.ref,
    numCPU: Number(text(vm.props['config.hardware.numCPU'])),
    memoryMB: Number(text(vm.props['config.hardware.memoryMB'])),
    template: text(vm.props['config.template']) === 'true',
    power: text(vm.props['runtime.powerState']),
    annotation: text(vm.props['config.annotation']),
    reservationMB: Number(text(allocation?.reservation)),
    limitMB: Number(text(allocation?.limit)),
    shares: Number(text((allocation?.shares as Node | undefined)?.shares)),
    disks: typed('VirtualDisk').map((d) => ({ kb: Number(text(d.capacityInKB)), file: text((d.backing as Node).fileName) })),
    nics: typed('VirtualVmxnet3').map((d) => {
      const backing = d.backing as Node;
      return { network: text(backing.deviceName) || text((backing.port as Node | undefined)?.portgroupKey), mac: text(d.macAddress) };
    }),
    cdroms: typed('VirtualCdrom').map((d) => ({ iso: (d.backing as Node)['@_type'] === 'VirtualCdromIsoBackingInfo' ? text((d.backing as Node).fileName) : '' })),
  };
}

/** A request to the datastore's HTTP file service (vSphere's /folder URL): status and body. */
export function datastoreHttp(sim: Vcsim, method: 'GET' | 'PUT', path: string, body?: Buffer, dsName = 'LocalDS_0'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: sim.host, port: sim.port, method, path: `/folder/${path}?dcPath=DC0&dsName=${encodeURIComponent(dsName)}`, ca: sim.certPem, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
