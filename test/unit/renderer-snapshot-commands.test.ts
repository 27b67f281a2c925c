// The Snapshots tab's commands, from the platform's facets and the server's allowed
// operations: edit (name and description, or only the description, saying why), new VM
// and template from a snapshot, revert with "snapshot first" and what the VM is after it,
// and one snapshot of many VMs (one name, one task each).
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_DETAILS, SNAPSHOT_MENU, SNAPSHOTS_TAB, TOOLBAR, contextMenuFor } from '../../renderer/src/commands/layouts';
import { menuCommandIds } from '../../renderer/src/commands/menu-bar';
import { commandById } from '../../renderer/src/commands/registry';
import { useStore } from '../../renderer/src/store/store';
import { sharedNameMessage, sharedSnapshotName } from '../../renderer/src/tree/snapshot-kinds';
import i18n from '../../renderer/src/i18n';
import { serverKey } from '../../renderer/src/tree/inventory-index';
import { appInfo, canRun, ctxOf, server, snapshotOf, state, vm } from './helpers/renderer-state';

const xen = server('x', 'xenserver');
const pve = server('p', 'proxmox');
const docker = server('d', 'docker');
const SNAPSHOT_ACTIONS = ['snapshot_revert', 'snapshot_delete', 'snapshot_edit', 'snapshot_clone', 'snapshot_template'] as const;

const web = vm('x', 'web', { allowed: ['snapshot_create'] });
const webSnap = snapshotOf(web, 'before', {}, [...SNAPSHOT_ACTIONS]);
const db = vm('p', 'db', { allowed: ['snapshot_create'] });
const dbSnap = snapshotOf(db, 'nightly', { withMemory: true }, [...SNAPSHOT_ACTIONS]);

const info = appInfo({
  xenserver: { snapshotEdit: 'name-and-description', snapshotClone: true, snapshotToTemplate: true, memoryRevertResumes: true },
  proxmox: { snapshotEdit: 'description', snapshotClone: true, snapshotToTemplate: false, memoryRevertResumes: false },
  docker: { snapshotEdit: 'none', snapshotClone: false },
});
const base = state({ info, servers: [xen, pve, docker], nodes: [web, webSnap, db, dbSnap] });
const inTab = (owner: typeof web, snap: typeof webSnap) => ({ ...base, selection: [owner.id], focusKey: owner.id, selectedSnapshotId: snap.id });

describe('surfaces', () => {
  it('name only commands of the registry; the scheduled snapshots view is on the toolbar, the VM menu and the context menus', () => {
    const ids = [...SNAPSHOT_MENU, ...SNAPSHOT_DETAILS.flatMap((i) => (typeof i === 'string' ? [] : [i.id])), ...SNAPSHOTS_TAB.flatMap((i) => (typeof i === 'string' ? [] : [i.id]))];
    expect(ids.filter((id) => id !== '|' && !commandById(id))).toEqual([]);
    expect(TOOLBAR.some((i) => typeof i !== 'string' && i.id === 'scheduled-snapshots')).toBe(true);
    expect(menuCommandIds()).toContain('scheduled-snapshots');
    const pool = { ...vm('x', 'pool'), id: 'x:pool:p', kind: 'pool' as const, allowed: [] };
    const s = state({ info, servers: [xen], nodes: [web, pool] });
    for (const selection of [[serverKey('x')], [web.id], [pool.id]]) expect(contextMenuFor(ctxOf({ ...s, selection }))).toContain('scheduled-snapshots');
  });
});

describe('edit, new VM and template from a snapshot', () => {
  it('follow the facets: both fields, the description only (labelled so), or not at all, saying why', () => {
    const ctxXen = ctxOf(inTab(web, webSnap));
    expect(commandById('edit-snapshot')!.label(ctxXen)).toBe('Edit');
    expect(canRun('edit-snapshot', inTab(web, webSnap))).toEqual({ ok: true });
    expect(commandById('edit-snapshot')!.label(ctxOf(inTab(db, dbSnap)))).toBe('Edit description');
    expect(canRun('edit-snapshot', inTab(db, dbSnap))).toEqual({ ok: true });
    const c = vm('d', 'c', { kind: 'container', id: 'd:container:c', allowed: ['snapshot_create'] });
    const cSnap = snapshotOf(c, 'img', {}, [...SNAPSHOT_ACTIONS]);
    const s = { ...state({ info, servers: [docker], nodes: [c, cSnap] }), selection: [c.id], selectedSnapshotId: cSnap.id };
    expect(canRun('edit-snapshot', s)).toEqual({ ok: false, reason: "Docker Engine cannot change a snapshot's name or description." });
    expect(canRun('new-vm-from-snapshot', s)).toEqual({ ok: false, reason: 'Docker Engine cannot make a new virtual machine from a snapshot.' });
  });
  it('template from a snapshot only where the platform has templates; the server must allow it now', () => {
    expect(canRun('template-from-snapshot', inTab(web, webSnap))).toEqual({ ok: true });
    expect(canRun('template-from-snapshot', inTab(db, dbSnap))).toEqual({ ok: false, reason: 'Proxmox VE cannot make a template from a snapshot.' });
    const locked = { ...webSnap, allowed: [] };
    const s = { ...state({ info, servers: [xen], nodes: [web, locked] }), selection: [web.id], selectedSnapshotId: locked.id };
    expect(canRun('new-vm-from-snapshot', s)).toEqual({ ok: false, reason: 'The server does not allow “New VM from snapshot” on before now.' });
  });
  it('without a selected snapshot they say to select one', () => {
    expect(canRun('edit-snapshot', { ...inTab(web, webSnap), selectedSnapshotId: null })).toEqual({ ok: false, reason: 'Select a snapshot in the list.' });
  });
});

describe('revert', () => {
  const confirm = (s: ReturnType<typeof inTab>, language = 'en') => commandById('revert-snapshot')!.confirm!(ctxOf(s, language))!;
  it('offers to take a snapshot of the current state first, and says what the VM is afterwards', () => {
    const disk = confirm(inTab(web, webSnap));
    expect(disk.options).toEqual([expect.objectContaining({ id: 'snapshotFirst', label: 'Take a snapshot of the current state first', checked: false })]);
    expect(disk.notes).toEqual(['The snapshot holds no memory: the virtual machine is shut down after the revert.']);
    const memWeb = snapshotOf(web, 'ram', { withMemory: true }, [...SNAPSHOT_ACTIONS]);
    const resumes = confirm({ ...inTab(web, memWeb), index: state({ info, nodes: [web, memWeb] }).index });
    expect(resumes.notes).toEqual(['The snapshot holds memory: the virtual machine runs on from where it was when the snapshot was taken.']);
    expect(confirm(inTab(db, dbSnap)).notes).toEqual([
      'The snapshot holds memory, but Proxmox VE leaves the virtual machine suspended after the revert: resume it to go on from where it was.',
    ]);
    expect(confirm(inTab(db, dbSnap), 'zh-CN').options?.[0].label).toBe('先为当前状态拍摄快照');
  });
  it('says why it cannot take one first when the VM does not allow a snapshot now', () => {
    const busy = { ...web, allowed: [] };
    const s = { ...inTab(web, webSnap), index: state({ info, nodes: [busy, webSnap] }).index };
    const request = confirm(s);
    expect(request.options).toEqual([]);
    expect(request.notes?.[1]).toBe('A snapshot of the current state cannot be taken first: web is Running: the server does not allow “Take snapshot” now.');
  });
});

describe('a snapshot of many VMs', () => {
  it('runs on every selected VM that allows it, one name for all, and says which are left out', async () => {
    const halted = vm('p', 'halted', { allowed: [], state: 'halted' });
    const s = state({ info, servers: [xen, pve], nodes: [web, db, halted], selection: [web.id, db.id, halted.id] });
    useStore.setState(s);
    expect(canRun('take-snapshot', s)).toEqual({ ok: true });
    await commandById('take-snapshot')!.run(ctxOf(s));
    expect(useStore.getState().dialog).toEqual({
      kind: 'snapshotCreate',
      vmIds: [web.id, db.id],
      memory: false,
      notes: ['halted is Halted: the server does not allow “Take snapshot” now.'],
    });
    useStore.setState({ dialog: null });
  });
  it('proposes one name every platform accepts', () => {
    const descriptors = info.providers.filter((d) => d.type === 'xenserver' || d.type === 'proxmox');
    const name = sharedSnapshotName(descriptors, new Date(2026, 0, 2, 3, 4, 5), 'fallback');
    expect(name).toBe('snap_20260102_030405');
    expect(sharedNameMessage(descriptors, 'web 2026-01-02', i18n.getFixedT('en'), 'en')).toMatch(/does not accept this name/);
  });
});
