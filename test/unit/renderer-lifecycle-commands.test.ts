// The renderer's lifecycle commands (issue 14): Delete, Clone, Convert to Template/VM,
// the Docker image/volume/project commands — their can't-run reasons (the platform lacks
// it, a running VM or project must stop first, an image a container uses says which) and
// where the context menu offers them. Facets are set by the test, not read from a provider.
import { describe, expect, it } from 'vitest';
import type { GuestsFacet } from '../../shared/guests';
import type { InventoryNode } from '../../shared/model';
import { contextMenuFor } from '../../renderer/src/commands/layouts';
import { serverKey } from '../../renderer/src/tree/inventory-index';
import { appInfo, canRun, ctxOf, server, state, vm } from './helpers/renderer-state';

const facet = (extra: Partial<GuestsFacet> = {}): GuestsFacet => ({ create: true, clone: ['fast', 'full'], toTemplate: true, fromTemplate: false, keepDisks: true, settings: [], images: false, ...extra });
const info = appInfo({ xenserver: { guests: facet() }, docker: { guests: facet({ clone: [], toTemplate: false, images: true }) }, proxmox: { guests: undefined } });
const servers = [server('x', 'xenserver'), server('d', 'docker'), server('p', 'proxmox')];
const engineNode = (kind: 'image' | 'volume' | 'project', name: string, extra: Partial<InventoryNode> = {}): InventoryNode => ({
  ...vm('d', name),
  id: `d:${kind}:${name}`,
  kind,
  state: undefined,
  allowed: ['destroy'],
  props: {},
  ...extra,
});

function selecting(nodes: InventoryNode[], selection = nodes.map((n) => n.id)) {
  return state({ info, servers, nodes, selection });
}

describe('can-run reasons', () => {
  it('Delete: a running VM the server will not destroy asks to shut it down first; one it will (forced) can', () => {
    const stuck = vm('x', 'web', { allowed: ['shutdown'] });
    expect(canRun('delete-guest', selecting([stuck]))).toEqual({ ok: false, reason: 'Shut down web first.' });
    expect(canRun('delete-guest', selecting([vm('x', 'web', { allowed: ['shutdown', 'destroy'] })]))).toEqual({ ok: true });
  });

  it('a platform without the guests facet lacks Delete and Clone, named in its words', () => {
    const guest = vm('p', 'ct', { allowed: ['destroy', 'clone'] });
    expect(canRun('delete-guest', selecting([guest]))).toMatchObject({ ok: false, reason: expect.stringContaining('has no “Delete”') });
    expect(canRun('clone-guest', selecting([guest]))).toMatchObject({ ok: false, reason: expect.stringContaining('has no “Clone”') });
  });

  it('Clone needs one guest and a platform that clones; Convert to Template follows the facet and allowed', () => {
    const halted = vm('x', 'db', { state: 'halted', allowed: ['clone', 'to_template', 'destroy'] });
    expect(canRun('clone-guest', selecting([halted]))).toEqual({ ok: true });
    expect(canRun('clone-guest', selecting([halted, vm('x', 'web')]))).toMatchObject({ ok: false, reason: 'Select a single item.' });
    expect(canRun('to-template', selecting([halted]))).toEqual({ ok: true });
    const container = { ...vm('d', 'app', { state: 'halted', allowed: ['destroy'] }), kind: 'container' as const, id: 'd:container:app' };
    expect(canRun('clone-guest', selecting([container]))).toMatchObject({ ok: false, reason: expect.stringContaining('has no “Clone”') });
  });

  it('Remove on an image a container uses names the containers; a running project asks to be stopped', () => {
    const used = engineNode('image', 'busybox', { allowed: [], props: { usedBy: ['web', 'db'] } });
    expect(canRun('remove-image', selecting([used]))).toEqual({ ok: false, reason: 'busybox is used by web, db: remove those containers first.' });
    expect(canRun('remove-image', selecting([engineNode('volume', 'scratch')]))).toEqual({ ok: true });
    const project = engineNode('project', 'shop', { state: 'running', allowed: ['shutdown'] });
    expect(canRun('remove-project', selecting([project]))).toEqual({ ok: false, reason: 'Stop shop first.' });
  });

  it('Pull image… and the prunes need one engine of a platform with images', () => {
    expect(canRun('pull-image', state({ info, servers, nodes: [], selection: [serverKey('d')] }))).toEqual({ ok: true });
    expect(canRun('prune-volumes', selecting([engineNode('volume', 'scratch')]))).toEqual({ ok: true });
    expect(canRun('pull-image', state({ info, servers, nodes: [], selection: [serverKey('x')] }))).toEqual({ ok: false, reason: 'Select a container engine, or an item on it, first.' });
  });
});

describe('context menus', () => {
  it('a VM offers Clone, Convert to Template and Delete; an image Remove and the engine commands; a project Remove', () => {
    expect(contextMenuFor(ctxOf(selecting([vm('x', 'web')])))).toEqual(expect.arrayContaining(['clone-guest', 'to-template', 'delete-guest']));
    expect(contextMenuFor(ctxOf(selecting([engineNode('image', 'busybox')])))).toEqual(expect.arrayContaining(['remove-image', 'pull-image', 'prune-images', 'prune-volumes']));
    expect(contextMenuFor(ctxOf(selecting([engineNode('project', 'shop')])))).toContain('remove-project');
    expect(contextMenuFor(ctxOf(state({ info, servers, nodes: [], selection: [serverKey('x')] })))).not.toContain('pull-image');
  });
});
