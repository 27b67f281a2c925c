// Inventory of real pool dumps, on both transports: what the provider shows must
// be what the dump holds (read here independently of simulator and provider).

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeId } from '../../../shared/model';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { readDump } from './dump';
import { Harness, TRANSPORTS } from './harness';
import { XAPI_DB_DIR } from '../../shared-dir';

const FIXTURES = XAPI_DB_DIR;
const dumps = readdirSync(FIXTURES).filter((f) => f.endsWith('.xml')).sort();

describe.each(TRANSPORTS)('XenServer inventory over %s', (transport) => {
  describe.each(dumps)('%s', (file) => {
    const facts = readDump(path.join(FIXTURES, file));
    let sim: XapiSimulator;
    let harness: Harness;

    beforeAll(async () => {
      // an XML-RPC-only host: the provider must find out by itself (auto)
      sim = await startXapiSimulator({ db: path.join(FIXTURES, file), jsonRpc: transport === 'jsonrpc' });
      harness = new Harness(sim, { transport: 'auto' });
      await harness.provider.connect();
    });
    afterAll(async () => {
      await harness?.provider.disconnect();
      await sim?.stop();
    });

    it('emits the whole inventory as one reset', () => {
      expect(harness.deltas).toHaveLength(1);
      expect(harness.deltas[0]!.reset).toBe(true);
    });

    it('shows the pool, its hosts and every VM with its state and placement', () => {
      const id = (kind: Parameters<typeof nodeId>[1], ref: string) => nodeId('s1', kind, ref);
      const poolId = id('pool', facts.poolRef);
      const pool = harness.nodes.get(poolId)!;
      expect(pool).toBeDefined();
      expect(pool.parentId).toBeNull();
      if (facts.poolName) expect(pool.name).toBe(facts.poolName);
      else expect([...facts.hosts.values()]).toContain(pool.name);
      expect(pool.props.standalone === true).toBe(!facts.poolName && facts.hosts.size === 1);

      const hosts = harness.ofKind('host');
      expect(hosts.map((h) => h.name).sort()).toEqual([...facts.hosts.values()].sort());
      for (const host of hosts) expect(host.parentId).toBe(poolId);

      const expectedVms = facts.vms.filter((v) => !v.isTemplate && !v.isSnapshot && !v.isControlDomain);
      const shownVms = harness.ofKind('vm').filter((n) => !n.controlDomain);
      expect(shownVms).toHaveLength(expectedVms.length);
      for (const vm of expectedVms) {
        const node = harness.nodes.get(id('vm', vm.ref))!;
        expect(node, vm.name).toBeDefined();
        expect(node.name).toBe(vm.name);
        expect(node.state).toBe(vm.powerState.toLowerCase());
        const onHost = vm.powerState !== 'Halted' && facts.hosts.has(vm.residentOn);
        expect(node.parentId).toBe(onHost ? id('host', vm.residentOn) : poolId);
        expect(node.props.host).toBe(onHost ? facts.hosts.get(vm.residentOn) : null);
      }

      const dom0 = facts.vms.filter((v) => v.isControlDomain);
      expect(harness.ofKind('vm').filter((n) => n.controlDomain)).toHaveLength(dom0.length);

      const templates = facts.vms.filter((v) => v.isTemplate && !v.isSnapshot);
      expect(harness.ofKind('template')).toHaveLength(templates.length);

      const snapshots = facts.vms.filter((v) => v.isSnapshot);
      expect(harness.ofKind('snapshot')).toHaveLength(snapshots.length);
      for (const snap of snapshots) {
        const node = harness.nodes.get(id('snapshot', snap.ref))!;
        expect(node.name).toBe(snap.name);
        expect(node.snapshot!.ofId).toBe(id('vm', snap.snapshotOf));
        const ofKnown = expectedVms.some((v) => v.ref === snap.snapshotOf);
        expect(node.parentId).toBe(ofKnown ? id('vm', snap.snapshotOf) : poolId);
        if (node.snapshot!.time !== null) expect(Number.isNaN(Date.parse(node.snapshot!.time))).toBe(false);
      }
    });

    it('every node hangs under a node that exists (or the server)', () => {
      for (const node of harness.nodes.values()) {
        if (node.parentId !== null) expect(harness.nodes.has(node.parentId), node.id).toBe(true);
        for (const action of node.allowed) expect(typeof action).toBe('string');
      }
    });
  });
});
