// What the vSphere provider sends for a snapshot edit: vcsim 0.24 has no
// RenameSnapshot (the integration test checks its refusal), so the request a real
// vCenter gets is checked here, as XML, against the vim25 signature
// RenameSnapshot(_this, name?, description?).

import { describe, expect, it } from 'vitest';
import { editSnapshot } from '../../electron/core/providers/vsphere/snapshot-actions';
import { InventoryModel } from '../../electron/core/providers/vsphere/inventory-model';
import type { VimClient } from '../../electron/core/providers/vsphere/vim-client';
import { child, parseXml, type ManagedObjectReference, type Xml } from '../../electron/core/providers/vsphere/xml';
import type { TaskReporter } from '../../electron/core/providers/provider';
import { policyTag } from '../../shared/schedules';
import { inlineChildren } from '../fixtures/child-tasks';

const TAG = policyTag('polyvisor:p1');

function modelWithSnapshot(description: string): InventoryModel {
  const model = new InventoryModel('srv', false);
  const doc = parseXml(
    `<val><currentSnapshot type="VirtualMachineSnapshot">snapshot-5</currentSnapshot><rootSnapshotList><snapshot type="VirtualMachineSnapshot">snapshot-5</snapshot><name>nightly</name><description>${description.replace(/\n/g, '&#xA;')}</description><createTime>2024-03-01T10:20:30Z</createTime><state>poweredOff</state><quiesced>false</quiesced></rootSnapshotList></val>`,
  );
  model.setObject({ type: 'VirtualMachine', value: 'vm-1' }, new Map([['name', 'web'], ['snapshot', child(doc, 'val')!]]));
  return model;
}

function recordingClient(): { client: VimClient; calls: Array<{ method: string; target: ManagedObjectReference; args: string }> } {
  const calls: Array<{ method: string; target: ManagedObjectReference; args: string }> = [];
  const client = {
    call: async (method: string, target: ManagedObjectReference, args: Array<Xml | undefined>) => {
      calls.push({ method, target, args: args.filter((a): a is Xml => !!a).map((a) => a.xml).join('') });
      return undefined;
    },
  } as unknown as VimClient;
  return { client, calls };
}

const signal = new AbortController().signal;
const task: TaskReporter = { progress: () => undefined, setCancellable: () => undefined, signal, child: inlineChildren(signal) };

describe('vSphere RenameSnapshot requests', () => {
  it('sends the new name and description, keeping a policy’s tag on the last line', async () => {
    const { client, calls } = recordingClient();
    await editSnapshot({ serverId: 'srv', client, model: modelWithSnapshot(`old words\n${TAG}`) }, 'snapshot-5', { name: ' renamed ', description: 'new <words>' }, task);
    expect(calls).toEqual([
      {
        method: 'RenameSnapshot',
        target: { type: 'VirtualMachineSnapshot', value: 'snapshot-5' },
        args: `<name>renamed</name><description>new &lt;words&gt;\n${TAG}</description>`,
      },
    ]);
  });

  it('leaves out what does not change', async () => {
    const { client, calls } = recordingClient();
    await editSnapshot({ serverId: 'srv', client, model: modelWithSnapshot('mine') }, 'snapshot-5', { description: '' }, task);
    expect(calls[0].args).toBe('<description></description>');
    await editSnapshot({ serverId: 'srv', client, model: modelWithSnapshot('mine') }, 'snapshot-5', { name: 'only-name' }, task);
    expect(calls[1].args).toBe('<name>only-name</name>');
  });

  it('refuses a name longer than vSphere keeps, before sending', async () => {
    const { client, calls } = recordingClient();
    await expect(editSnapshot({ serverId: 'srv', client, model: modelWithSnapshot('') }, 'snapshot-5', { name: 'x'.repeat(81) }, task)).rejects.toMatchObject({
      info: { code: 'INVALID_INPUT', field: 'name' },
    });
    expect(calls).toEqual([]);
  });
});
