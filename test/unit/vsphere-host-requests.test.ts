// What the vSphere provider sends for the host actions and moves that vcsim 0.24
// cannot show: it has no RebootHost_Task, ShutdownHost_Task or
// PowerUpHostFromStandBy_Task (the integration tests check its MethodNotFound), no
// host in standby and no disconnected host. The requests a real vCenter gets are
// checked here as XML against the vim25 signatures, and the host rules on states
// vcsim cannot reach.

import { describe, expect, it } from 'vitest';
import { runHostAction } from '../../electron/core/providers/vsphere/host-actions';
import { InventoryModel } from '../../electron/core/providers/vsphere/inventory-model';
import { relocateVm } from '../../electron/core/providers/vsphere/migration';
import type { VimClient } from '../../electron/core/providers/vsphere/vim-client';
import { child, parseXml, type ManagedObjectReference, type Xml, type XmlNode } from '../../electron/core/providers/vsphere/xml';
import type { TaskReporter } from '../../electron/core/providers/provider';
import { inlineChildren } from '../fixtures/child-tasks';

const node = (xml: string): XmlNode => child(parseXml(`<v>${xml}</v>`), 'v')!;
const ref = (type: string, value: string): XmlNode => child(parseXml(`<r type="${type}">${value}</r>`), 'r')!;

interface HostState {
  connection?: string;
  power?: string;
  maintenance?: boolean;
  disabled?: string[];
  parent?: [string, string];
}

function model(hosts: Record<string, HostState>, vms: Record<string, string> = {}): InventoryModel {
  const m = new InventoryModel('srv', false);
  m.setObject({ type: 'Datacenter', value: 'dc-1' }, new Map([['name', 'DC0']]));
  m.setObject({ type: 'ClusterComputeResource', value: 'c-1' }, new Map([['name', 'C0'], ['parent', ref('Datacenter', 'dc-1')]]));
  m.setObject({ type: 'ComputeResource', value: 'cr-9' }, new Map([['name', 'H9'], ['parent', ref('Datacenter', 'dc-1')]]));
  for (const [value, h] of Object.entries(hosts)) {
    const [type, parent] = h.parent ?? ['ClusterComputeResource', 'c-1'];
    m.setObject(
      { type: 'HostSystem', value },
      new Map<string, XmlNode>([
        ['name', value.toUpperCase()],
        ['parent', ref(type, parent)],
        ['runtime.connectionState', h.connection ?? 'connected'],
        ['runtime.powerState', h.power ?? 'poweredOn'],
        ['runtime.inMaintenanceMode', String(h.maintenance ?? false)],
        ['disabledMethod', node((h.disabled ?? []).map((d) => `<string>${d}</string>`).join(''))],
      ]),
    );
  }
  for (const [value, host] of Object.entries(vms)) {
    m.setObject(
      { type: 'VirtualMachine', value },
      new Map<string, XmlNode>([['name', value], ['runtime.powerState', 'poweredOn'], ['runtime.host', ref('HostSystem', host)], ['parent', ref('Datacenter', 'dc-1')]]),
    );
  }
  return m;
}

/** A client that records each call, answers *_Task with task-1 and reads it back as succeeded, and knows each compute resource's pool. */
function recordingClient(): { client: VimClient; calls: Array<{ method: string; target: ManagedObjectReference; args: string }> } {
  const calls: Array<{ method: string; target: ManagedObjectReference; args: string }> = [];
  const answer = (xml: string) => child(parseXml(`<returnval>${xml}</returnval>`), 'returnval');
  const client = {
    serviceContent: { propertyCollector: { type: 'PropertyCollector', value: 'pc' } },
    withSession: <T>(fn: () => Promise<T>) => fn(),
    call: async (method: string, target: ManagedObjectReference, args: Array<Xml | undefined>) => {
      const body = args.filter((a): a is Xml => !!a).map((a) => a.xml).join('');
      if (method !== 'RetrievePropertiesEx') {
        calls.push({ method, target, args: body });
        return ref('Task', 'task-1');
      }
      if (body.includes('<pathSet>resourcePool</pathSet>')) {
        return answer('<objects><obj type="ComputeResource">cr-9</obj><propSet><name>resourcePool</name><val type="ResourcePool">resgroup-9</val></propSet></objects>');
      }
      return answer('<objects><obj type="Task">task-1</obj><propSet><name>info</name><val><state>success</state></val></propSet></objects>');
    },
  } as unknown as VimClient;
  return { client, calls };
}

const signal = new AbortController().signal;
const task: TaskReporter = { progress: () => undefined, setCancellable: () => undefined, signal, child: inlineChildren(signal) };

describe('vSphere host requests', () => {
  it('restarts and shuts down with vSphere’s own force flag', async () => {
    const { client, calls } = recordingClient();
    const ctx = { client, model: model({ 'host-1': { maintenance: true }, 'host-2': {} }) };
    await runHostAction(ctx, 'host-1', 'host_reboot', {}, task);
    await runHostAction(ctx, 'host-2', 'host_shutdown', { force: true }, task);
    expect(calls).toEqual([
      { method: 'RebootHost_Task', target: { type: 'HostSystem', value: 'host-1' }, args: '<force>false</force>' },
      { method: 'ShutdownHost_Task', target: { type: 'HostSystem', value: 'host-2' }, args: '<force>true</force>' },
    ]);
    await expect(runHostAction(ctx, 'host-2', 'host_reboot', {}, task)).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', field: 'force' } });
    expect(calls).toHaveLength(2);
  });

  it('powers a host in standby up with a heartbeat timeout, and enters/leaves Maintenance Mode without one', async () => {
    const { client, calls } = recordingClient();
    const ctx = { client, model: model({ 'host-1': { power: 'standBy' }, 'host-2': {} }) };
    await runHostAction(ctx, 'host-1', 'host_power_on', {}, task);
    await runHostAction(ctx, 'host-2', 'maintenance_enter', {}, task);
    await runHostAction(ctx, 'host-2', 'maintenance_exit', {}, task);
    expect(calls.map((c) => `${c.method} ${c.args}`)).toEqual([
      'PowerUpHostFromStandBy_Task <timeoutSec>600</timeoutSec>',
      'EnterMaintenanceMode_Task <timeout>0</timeout>',
      'ExitMaintenanceMode_Task <timeout>0</timeout>',
    ]);
  });

  it('relocates to another compute resource with its root pool, in the order of VirtualMachineRelocateSpec', async () => {
    const { client, calls } = recordingClient();
    const ctx = { client, model: model({ 'host-1': {}, 'host-9': { parent: ['ComputeResource', 'cr-9'] } }, { 'vm-1': 'host-1' }) };
    await relocateVm(ctx, 'vm-1', 'host-9', undefined, task);
    expect(calls).toEqual([
      {
        method: 'RelocateVM_Task',
        target: { type: 'VirtualMachine', value: 'vm-1' },
        args: '<spec><pool type="ResourcePool">resgroup-9</pool><host type="HostSystem">host-9</host></spec><priority>defaultPriority</priority>',
      },
    ]);
  });
});

describe('vSphere host rules on states vcsim cannot reach', () => {
  const nodeOf = (m: InventoryModel, id: string) => m.nodes().find((n) => n.id === id)!;

  it('offers a host only what vSphere would take in its state', () => {
    const m = model({
      'host-1': {},
      'host-2': { power: 'standBy' },
      'host-3': { connection: 'notResponding' },
      'host-4': { maintenance: true, disabled: ['ExitMaintenanceMode_Task', 'RebootHost_Task'] },
      'host-9': { parent: ['ComputeResource', 'cr-9'] },
    });
    expect(nodeOf(m, 'srv:host:host-1').allowed).toEqual(['maintenance_enter', 'evacuate', 'host_reboot', 'host_shutdown']);
    expect(nodeOf(m, 'srv:host:host-2').allowed).toEqual(['host_power_on']);
    expect(nodeOf(m, 'srv:host:host-3').allowed).toEqual([]);
    expect(nodeOf(m, 'srv:host:host-4')).toMatchObject({ maintenance: true, allowed: ['host_shutdown'] });
    // a standalone host: no cluster to evacuate to
    expect(nodeOf(m, 'srv:host:host-9').allowed).toEqual(['maintenance_enter', 'host_reboot', 'host_shutdown']);
  });

  it('gives the reason a host cannot take a VM: not connected, not powered on', async () => {
    const { client } = recordingClient();
    const m = model({ 'host-1': {}, 'host-2': { power: 'standBy' }, 'host-3': { connection: 'disconnected' } }, { 'vm-1': 'host-1' });
    await expect(relocateVm({ client, model: m }, 'vm-1', 'host-2', undefined, task)).rejects.toThrow('HOST-2 is not powered on (its power state is standBy).');
    await expect(relocateVm({ client, model: m }, 'vm-1', 'host-3', undefined, task)).rejects.toThrow(
      'HOST-3 is not connected to vCenter (its connection state is disconnected).',
    );
    expect(nodeOf(m, 'srv:vm:vm-1').allowed).not.toContain('migrate');
  });
});
