// Add to Pool… and Remove from Pool in the renderer: which hosts they run on (the
// server's allowed actions), why not otherwise, and the warning Remove from Pool asks with, in both languages.
import { describe, expect, it } from 'vitest';
import type { InventoryNode } from '../../shared/model';
import { commandById } from '../../renderer/src/commands/registry';
import { canRun, ctxOf, server, state, vm } from './helpers/renderer-state';

const host = (name: string, parent: string, allowed: InventoryNode['allowed']): InventoryNode => ({ ...vm('x', name), id: `x:host:${name}`, kind: 'host', parentId: parent, allowed, props: {} });
const pool = (name: string, props: InventoryNode['props'] = {}): InventoryNode => ({ ...vm('x', name), id: `x:pool:${name}`, kind: 'pool', parentId: null, allowed: [], props });

describe('pool membership commands', () => {
  const xen = server('x', 'xenserver');
  const lonePool = pool('lone', { standalone: true });
  const lone = host('lone', lonePool.id, ['host_reboot', 'pool_join']);
  const big = pool('Big pool');
  const master = host('master', big.id, ['host_reboot']);
  const member = host('member', big.id, ['host_reboot', 'pool_eject']);
  const s = (selection: string[]) => ({ ...state({ servers: [xen], nodes: [lonePool, lone, big, master, member] }), selection });

  it('Add to Pool… runs on a standalone host, one at a time; not on a member', () => {
    expect(canRun('pool-join', s([lone.id]))).toEqual({ ok: true });
    expect(canRun('pool-join', s([member.id]))).toEqual({ ok: false, reason: 'member is Running: the server does not allow “Add to pool” now.' });
    expect(canRun('pool-join', s([lone.id, member.id])).ok).toBe(false);
    expect(canRun('pool-join', s([big.id])).ok).toBe(false);
  });

  it('Remove from Pool runs on a member, not on the master, and warns that VMs and local storage are lost', () => {
    expect(canRun('pool-eject', s([member.id]))).toEqual({ ok: true });
    expect(canRun('pool-eject', s([master.id]))).toEqual({ ok: false, reason: 'master is Running: the server does not allow “Remove from pool” now.' });
    const en = commandById('pool-eject')!.confirm!(ctxOf(s([member.id, master.id])));
    expect(en).toMatchObject({ targets: ['member'], danger: true });
    expect(en?.message).toContain('Big pool');
    expect(en?.message).toContain('local storage');
    expect(en?.notes).toEqual(['master is Running: the server does not allow “Remove from pool” now.']);
    expect(commandById('pool-eject')!.confirm!(ctxOf(s([member.id]), 'zh-CN'))?.message).toContain('本地存储');
  });
});
