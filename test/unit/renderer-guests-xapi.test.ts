// The renderer's guest requests through the real core to the XAPI simulator (the same
// flows as test/e2e/guests-xapi.spec.ts, below the UI): the wizard's request from a
// built-in template with two disks and a network makes a VM the simulator holds with
// those properties; the Properties dialog's changes set vCPUs and the memory limits of a
// halted VM and the dynamic range of a running one; one range for two VMs is refused by
// xapi with MEMORY_CONSTRAINT_VIOLATION for the VM whose static maximum is below it,
// whose record stays as it was. Every check reads the simulator's own records.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { rulesFor } from '../../renderer/src/guests/guest-settings';
import { changesOf, draftOf } from '../../renderer/src/guests/properties-draft';
import { emptyDraft, specOf, withTemplate } from '../../renderer/src/guests/wizard-draft';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';

const GiB = 1024 ** 3;
const rules = rulesFor(xenServerProviderFactory.descriptor.facets.guests, 'vm');
let sim: XapiSimulator;
let home: string;
let core: PolyvisorCore;
let serverId: string;

function vmRecord(name: string): Record<string, unknown> {
  for (const r of sim.db.records('VM').values()) if (r.name_label === name && !r.is_a_template && !r.is_a_snapshot) return r;
  throw new Error(`the simulator has no VM ${name}`);
}
const memoryOf = (name: string) => {
  const r = vmRecord(name);
  return [r.memory_static_min, r.memory_dynamic_min, r.memory_dynamic_max, r.memory_static_max].map(Number);
};

async function nodeNamed(name: string) {
  for (;;) {
    const node = (await core.invoke('inventory:get')).find((n) => n.serverId === serverId && n.name === name && n.kind === 'vm');
    if (node) return node;
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  // vm-00001 runs with 1 GiB, vm-00002 is halted with 2 GiB, vm-00003 runs with 3 GiB
  sim = await startXapiSimulator({ generate: { hosts: 2, vms: 4, snapshots: 0, isoLibrary: true } });
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-guests-xapi-'));
  core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [xenServerProviderFactory], inventoryBatchMs: 10 });
  const server = await core.invoke('servers:add', { type: 'xenserver', host: sim.host, port: sim.port, username: 'root', options: { eventTimeoutS: 5, taskPollMs: 50 } });
  serverId = server.id;
  await core.invoke('servers:connect', serverId, 'password');
  expect((await core.invoke('certs:accept', serverId, sim.fingerprint256)).state).toBe('connected');
});
afterAll(async () => {
  await core?.stop();
  await sim?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('the renderer’s guest requests on XenServer', () => {
  it('the wizard’s request: a VM from a template with two disks and a network, as the simulator holds it', async () => {
    const options = await core.invoke('guests:createOptions', serverId);
    const template = options.templates.find((t) => t.name === 'Debian Bookworm 12')!;
    const draft = withTemplate(emptyDraft(serverId), template, options);
    expect(draft.disks).toHaveLength(1);
    const spec = specOf(
      { ...draft, name: 'xapi-new-01', memory: '2GiB', dynamicMin: '1GiB', dynamicMax: '2GiB', disks: [...draft.disks, { size: '5GiB', storageId: '', fromTemplate: false }], start: false },
      rules,
      template,
    );
    expect(spec.networks).toHaveLength(1);
    const done = await core.waitForTask((await core.invoke('guests:create', serverId, spec)).id);
    expect(done.status, JSON.stringify(done.error)).toBe('success');
    const vm = vmRecord('xapi-new-01');
    expect(vm.power_state).toBe('Halted');
    expect(memoryOf('xapi-new-01').slice(1)).toEqual([1 * GiB, 2 * GiB, 2 * GiB]);
    const disks = (vm.VBDs as string[]).map((ref) => sim.db.get('VBD', ref)!).filter((vbd) => vbd.type === 'Disk');
    expect(disks.map((vbd) => Number(sim.db.get('VDI', String(vbd.VDI))!.virtual_size)).sort((a, b) => a - b)).toEqual([5 * GiB, 10 * GiB]);
    expect(vm.VIFs as string[]).toHaveLength(1);
    expect((await nodeNamed('xapi-new-01')).id).toBe(done.resultId);
  });

  it('the Properties dialog’s changes: vCPUs and memory limits of a halted VM', async () => {
    const node = await nodeNamed('xapi-new-01');
    const props = await core.invoke('guests:properties', node.id);
    const draft = draftOf(props);
    const changes = changesOf(props, { ...draft, vcpus: '3', range: { ...draft.range!, dynamicMax: 3 * GiB, staticMax: 3 * GiB } }, rules);
    const [task] = await core.invoke('guests:configure', [node.id], changes);
    const done = await core.waitForTask(task.id);
    expect(done.status, JSON.stringify(done.error)).toBe('success');
    expect(Number(vmRecord('xapi-new-01').VCPUs_at_startup)).toBe(3);
    expect(memoryOf('xapi-new-01').slice(1)).toEqual([1 * GiB, 3 * GiB, 3 * GiB]);
  });

  it('the dynamic range of a running VM, live', async () => {
    const node = await nodeNamed('vm-00003');
    const props = await core.invoke('guests:properties', node.id);
    const draft = draftOf(props);
    const [task] = await core.invoke('guests:configure', [node.id], changesOf(props, { ...draft, range: { ...draft.range!, dynamicMin: 2 * GiB } }, rules));
    expect((await core.waitForTask(task.id)).status).toBe('success');
    expect(memoryOf('vm-00003').slice(1)).toEqual([2 * GiB, 3 * GiB, 3 * GiB]);
    expect(vmRecord('vm-00003').power_state).toBe('Running');
  });

  it('one range for two VMs: MEMORY_CONSTRAINT_VIOLATION for the one it does not fit, its record unchanged', async () => {
    const before = memoryOf('vm-00001');
    const ids = [(await nodeNamed('vm-00001')).id, (await nodeNamed('vm-00003')).id];
    const tasks = await core.invoke('guests:configure', ids, { memory: { dynamicMinBytes: 1 * GiB, dynamicMaxBytes: 2 * GiB } });
    const [first, second] = await Promise.all(tasks.map((t) => core.waitForTask(t.id)));
    expect(first).toMatchObject({ status: 'failure', error: { code: 'SERVER_ERROR', serverCode: 'MEMORY_CONSTRAINT_VIOLATION' } });
    expect(second.status).toBe('success');
    expect(memoryOf('vm-00001')).toEqual(before);
    expect(memoryOf('vm-00003').slice(1)).toEqual([1 * GiB, 2 * GiB, 3 * GiB]);
  });
});
