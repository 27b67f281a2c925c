// The renderer's guest requests through the real core to Acme Lab, the test-only server
// the guest e2e runs against: the wizard's request (specOf) passes the contract's
// schema and makes the VM the lab then holds; the Properties dialog's changes
// (changesOf) apply; the lab refuses what a hypervisor refuses (an out-of-order memory
// range, static sizes while running, a stale revision) with the server's code and
// changes nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { builtinProviders } from '../../electron/core/providers/builtin';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { rulesFor } from '../../renderer/src/guests/guest-settings';
import { changesOf, draftOf } from '../../renderer/src/guests/properties-draft';
import { emptyDraft, specOf, withTemplate } from '../../renderer/src/guests/wizard-draft';
import { acmeLab, freshLab } from '../fixtures/fake-guests-lab';
import { LAB_PASSWORD, labGuestsFacet, labProviderFactory } from '../fixtures/fake-guests-provider';

const GiB = 1024 ** 3;
const rules = rulesFor(labGuestsFacet, 'vm');
let home: string;
let core: PolyvisorCore;
let serverId: string;

beforeEach(async () => {
  acmeLab.state = freshLab();
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-lab-'));
  core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [...builtinProviders, labProviderFactory], inventoryBatchMs: 5 });
  const added = await core.invoke('servers:add', { type: 'acmelab', host: 'lab.test', username: 'ops', password: LAB_PASSWORD, options: {} });
  serverId = added.id;
  expect((await core.invoke('servers:connect', serverId)).state).toBe('connected');
});
afterEach(async () => {
  await core.stop();
  rmSync(home, { recursive: true, force: true });
});

const nodeNamed = async (name: string) => (await core.invoke('inventory:get')).find((n) => n.serverId === serverId && n.name === name)!;

describe('the guest requests through the core to Acme Lab', () => {
  it('the wizard’s request makes the VM the lab then holds, in the tree under its id', async () => {
    const options = await core.invoke('guests:createOptions', serverId);
    const debian = options.templates.find((t) => t.id === 'tpl-debian')!;
    const draft = { ...withTemplate(emptyDraft(serverId), debian, options), name: 'made-1', disks: [{ size: '16GiB', storageId: 'sr-local', fromTemplate: true }, { size: '20GiB', storageId: 'sr-nfs', fromTemplate: false }] };
    const task = await core.invoke('guests:create', serverId, specOf(draft, rules, debian));
    const done = await core.waitForTask(task.id);
    expect(done).toMatchObject({ status: 'success', resultId: `${serverId}:vm:made-1` });
    expect(acmeLab.state.vms.get('made-1')).toMatchObject({ state: 'running', vcpus: 2, networks: ['net0'] });
    expect(acmeLab.state.vms.get('made-1')!.disks.map((d) => [d.sizeBytes / GiB, d.storageId])).toEqual([
      [16, 'sr-local'],
      [20, 'sr-nfs'],
    ]);
    expect((await nodeNamed('made-1')).id).toBe(done.resultId);
  });

  it('the Properties dialog’s changes apply; an out-of-order range is refused with the server’s code and nothing changes', async () => {
    const web = await nodeNamed('web-1');
    const props = await core.invoke('guests:properties', web.id);
    const draft = draftOf(props);
    const ok = await core.invoke('guests:configure', [web.id], changesOf(props, { ...draft, description: 'front', range: { ...draft.range!, dynamicMin: 3 * GiB } }, rules));
    expect((await core.waitForTask(ok[0].id)).status).toBe('success');
    expect(acmeLab.state.vms.get('web-1')).toMatchObject({ description: 'front', memory: { dynamicMin: 3 * GiB, dynamicMax: 4 * GiB } });

    const before = structuredClone(acmeLab.state.vms.get('web-1')!.memory);
    const [bad] = await core.invoke('guests:configure', [web.id], { memory: { dynamicMinBytes: 2 * GiB, dynamicMaxBytes: 6 * GiB } });
    expect(await core.waitForTask(bad.id)).toMatchObject({ status: 'failure', error: { code: 'SERVER_ERROR', serverCode: 'MEMORY_CONSTRAINT_VIOLATION' } });
    const [halted] = await core.invoke('guests:configure', [web.id], { memory: { sizeBytes: 8 * GiB } });
    expect(await core.waitForTask(halted.id)).toMatchObject({ status: 'failure', error: { serverCode: 'VM_BAD_POWER_STATE', serverParams: ['web-1', 'halted', 'running'] } });
    expect(acmeLab.state.vms.get('web-1')!.memory).toEqual(before);
  });

  it('a stale revision is refused', async () => {
    const db = await nodeNamed('db-1');
    const props = await core.invoke('guests:properties', db.id);
    const [first] = await core.invoke('guests:configure', [db.id], changesOf(props, { ...draftOf(props), description: 'one' }, rules));
    expect((await core.waitForTask(first.id)).status).toBe('success');
    const [second] = await core.invoke('guests:configure', [db.id], changesOf(props, { ...draftOf(props), description: 'two' }, rules));
    expect(await core.waitForTask(second.id)).toMatchObject({ status: 'failure', error: { serverCode: 'CONFLICT' } });
    expect(acmeLab.state.vms.get('db-1')!.description).toBe('one');
  });
});
