// A guest's snapshot list read when its Snapshots tab opens (issue 17): with the background
// fill held back (every shared slot taken), a Proxmox VE guest is `snapshotsPending` and
// has no snapshot nodes; `snapshots:readList` reads that one list at once, its nodes match
// the simulator's own list, and a second ask sends no request.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryNode } from '../../../shared/model';
import { createAppCore, type PolyvisorCore } from '../../../electron/core/app-core';
import { proxmoxProviderFactory } from '../../../electron/core/providers/proxmox';
import { BACKGROUND_READS_AT_ONCE, backgroundSnapshotReads } from '../../../electron/core/providers/proxmox/background-reads';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-secret-store';
import { isPolyvisorError } from '../../../shared/errors';
import { addSnapshot, startProxmoxSimulator, type ProxmoxSimulator } from '../../sim/proxmox';
import { CliSession } from '../../../electron/cli/session';
import { formatSnapshots } from '../../../electron/cli/format';
import { snapshotsOf as cliSnapshotsOf } from '../../../electron/cli/resolve';
import { Mirror, providerFor, waitFor } from './helpers';

const LIST_OF_100 = 'GET /nodes/node2/qemu/100/snapshot';

describe('Proxmox VE snapshot list read on demand', () => {
  let sim: ProxmoxSimulator;
  let core: PolyvisorCore;
  let home: string;
  let release: () => void = () => undefined;
  let held: Promise<unknown>[] = [];

  const inventory = () => core.invoke('inventory:get');
  const guest = async (name: string): Promise<InventoryNode> => {
    const node = (await inventory()).find((n) => n.name === name && n.kind !== 'snapshot');
    if (!node) throw new Error(`no guest ${name}`);
    return node;
  };
  const snapshotsOf = async (id: string) => (await inventory()).filter((n) => n.kind === 'snapshot' && n.snapshot?.ofId === id);

  beforeAll(async () => {
    // the background fill never gets a slot while the test runs: every list it would read stays unread
    const gate = new Promise<void>((resolve) => (release = resolve));
    held = Array.from({ length: BACKGROUND_READS_AT_ONCE }, () => backgroundSnapshotReads.run(() => gate));
    sim = await startProxmoxSimulator();
    addSnapshot(sim.state, sim.state.guests.get(102)!, 'cli-snap', 'for the CLI', 1700000000);
    home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-snaplist-'));
    core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [proxmoxProviderFactory], inventoryBatchMs: 10 });
    // no poll and no rotation within the test: only the ask reads a list
    const options = { pollIntervalMs: 600_000, snapshotSweepPerPoll: 0, initialSnapshotWaitMs: 0 };
    const server = await core.invoke('servers:add', { type: 'proxmox', name: 'PVE', host: sim.host, port: sim.port, username: 'root@pam', options });
    const first = await core.invoke('servers:connect', server.id, 'password');
    const view = first.state === 'connected' ? first : await core.invoke('certs:accept', server.id, sim.fingerprint256);
    expect(view.state).toBe('connected');
  });
  afterAll(async () => {
    release();
    await Promise.all(held);
    await core?.stop();
    await sim?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('marks a guest whose list is not read as pending, with no snapshot nodes', async () => {
    const vm = await guest('server1');
    expect(sim.state.guests.get(100)!.snapshots.size).toBeGreaterThan(0);
    expect(vm.snapshotsPending).toBe(true);
    expect(await snapshotsOf(vm.id)).toEqual([]);
    expect(sim.requestCount(LIST_OF_100)).toBe(0);
  });

  it('reads the list at once when asked: the snapshot nodes match the simulator, the mark is gone', async () => {
    const vm = await guest('server1');
    // as a window calls it: checked against the channel's schema first
    await core.dispatch('snapshots:readList', [vm.id]);
    expect(sim.requestCount(LIST_OF_100)).toBe(1);
    await waitFor(async () => (await snapshotsOf(vm.id)).length > 0, 'the snapshot nodes of server1');
    const simList = [...sim.state.guests.get(100)!.snapshots.values()];
    const nodes = await snapshotsOf(vm.id);
    const byId = new Map(nodes.map((n) => [n.id, n]));
    expect(nodes.map((n) => n.name).sort()).toEqual(simList.map((s) => s.name).sort());
    for (const s of simList) {
      const node = nodes.find((n) => n.name === s.name)!;
      expect(node.snapshot!.description).toBe(s.description);
      expect(node.snapshot!.parentSnapshotId ? byId.get(node.snapshot!.parentSnapshotId)?.name : undefined).toBe(s.parent);
    }
    const after = await guest('server1');
    expect('snapshotsPending' in after).toBe(false);
    expect(after.currentSnapshotId ? byId.get(after.currentSnapshotId)?.name : null).toBe(sim.state.guests.get(100)!.parent ?? null);
    // the other guests' lists are still held back: only the asked one was read
    expect((await guest('test')).snapshotsPending).toBe(true);
  });

  it('answers a second ask, and two asks at once, with the one request already made', async () => {
    const vm = await guest('server1');
    await Promise.all([core.invoke('snapshots:readList', vm.id), core.invoke('snapshots:readList', vm.id)]);
    expect(sim.requestCount(LIST_OF_100)).toBe(1);
  });

  it('reads a pending guest once for two asks at once', async () => {
    const ct = await guest('test');
    const listPath = `GET /nodes/${ct.props.node}/lxc/106/snapshot`;
    await Promise.all([core.invoke('snapshots:readList', ct.id), core.invoke('snapshots:readList', ct.id)]);
    expect(sim.requestCount(listPath)).toBe(1);
    await waitFor(async () => !(await guest('test')).snapshotsPending, 'test read');
    expect((await snapshotsOf(ct.id)).map((n) => n.name).sort()).toEqual([...sim.state.guests.get(106)!.snapshots.keys()].sort());
  });

  it('polyvisor snapshot list reads a pending guest first', async () => {
    const errors: string[] = [];
    const session = new CliSession(core, (line) => errors.push(line));
    const listed = await session.inventory();
    const vm = listed.find((n) => n.kind === 'vm' && n.props.vmid === 102)!;
    expect(vm.snapshotsPending).toBe(true);
    const { nodes, vm: now } = await session.withSnapshotList(listed, vm);
    const printed = formatSnapshots(cliSnapshotsOf(nodes, now), now.currentSnapshotId);
    expect(cliSnapshotsOf(nodes, now).map((n) => n.name)).toEqual([...sim.state.guests.get(102)!.snapshots.keys()]);
    expect(printed).toContain('cli-snap');
    expect(printed).toContain('for the CLI');
    expect(now.snapshotsPending).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it("gives the server's error when the list cannot be read", async () => {
    const vm = await guest('leap154');
    expect(vm.snapshotsPending).toBe(true);
    // gone on the server behind the tree's back (the next poll would show it): PVE answers the list with an error
    sim.state.guests.delete(101);
    const e = await core.invoke('snapshots:readList', vm.id).then(
      () => null,
      (err: unknown) => err,
    );
    expect(isPolyvisorError(e)).toBe(true);
    expect(e).toMatchObject({ info: { code: 'SERVER_ERROR' } });
    expect(String((e as Error).message)).toMatch(/101/);
    expect((await guest('leap154')).snapshotsPending).toBe(true);
  });
});

describe('Proxmox VE with snapshotListsAfterConnect off', () => {
  it('reads no list after connecting: every guest stays pending through the polls until one is asked for', async () => {
    const sim = await startProxmoxSimulator();
    const provider = providerFor(sim, {}, { initialSnapshotWaitMs: 0, snapshotSweepPerPoll: 0, snapshotListsAfterConnect: false });
    const mirror = new Mirror(provider);
    try {
      await provider.connect();
      const polls = sim.requestCount('GET /cluster/resources');
      await waitFor(() => sim.requestCount('GET /cluster/resources') >= polls + 3, 'three polls');
      const guests = [...mirror.nodes.values()].filter((n) => n.kind === 'vm' || n.kind === 'container' || n.kind === 'template');
      expect(guests.length).toBeGreaterThan(0);
      expect(guests.every((g) => g.snapshotsPending === true)).toBe(true);
      expect(mirror.ofKind('snapshot')).toEqual([]);
      expect(sim.requestCount(LIST_OF_100)).toBe(0);

      await provider.readSnapshotList!({ nativeRef: 'qemu/100', kind: 'vm' });
      expect(sim.requestCount(LIST_OF_100)).toBe(1);
      await waitFor(() => mirror.ofKind('snapshot').length === sim.state.guests.get(100)!.snapshots.size, 'server1 snapshots');
      expect(mirror.get('vm', 'qemu/100')!.snapshotsPending).toBeUndefined();
      expect(mirror.get('container', 'lxc/106')!.snapshotsPending).toBe(true);
    } finally {
      await provider.disconnect();
      await sim.stop();
    }
  });
});
