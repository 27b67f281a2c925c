// Commands outside the logged-in user's role are greyed with the reason (issue 16): the
// server view's access names the operations the session may not run and the server's
// permission each lacks; commands the role allows stay as the server's own rules say.
import { describe, expect, it } from 'vitest';
import type { ServerView } from '../../shared/contract';
import { canRun, server, state, vm } from './helpers/renderer-state';

const operator: ServerView = {
  ...server('x', 'xenserver'),
  access: { user: 'CORP\\alice', superuser: false, roles: ['vm-operator'], permissions: ['vm.start', 'vm.clean_shutdown'], denied: { snapshot_create: 'vm.snapshot', destroy: 'vm.destroy', guest_create: 'vm.provision' } },
};
const web = vm('x', 'web', { allowed: ['shutdown', 'snapshot_create', 'destroy'] });
const as = (srv: ServerView, language?: string) => ({ ...state({ servers: [srv], nodes: [web] }), selection: [web.id], focusKey: web.id, ...(language ? {} : {}) });

describe('commands outside the role', () => {
  it('are disabled with the role and the permission it lacks', () => {
    expect(canRun('take-snapshot', as(operator))).toEqual({ ok: false, reason: 'Your role vm-operator does not allow “Take snapshot” (vm.snapshot).' });
    expect(canRun('delete-guest', as(operator))).toMatchObject({ ok: false, reason: expect.stringContaining('Your role vm-operator does not allow') });
    expect(canRun('new-vm', as(operator))).toMatchObject({ ok: false, reason: expect.stringContaining('(vm.provision)') });
  });

  it('leave what the role allows, and the local administrator, to the server’s own rules', () => {
    expect(canRun('shutdown', as(operator))).toEqual({ ok: true });
    const root: ServerView = { ...operator, access: { user: 'root', superuser: true, roles: ['pool-admin'], permissions: [], denied: {} } };
    expect(canRun('take-snapshot', as(root))).toEqual({ ok: true });
    expect(canRun('take-snapshot', as({ ...operator, access: undefined }))).toEqual({ ok: true });
  });

  it('follow an object’s own answer where the server gives one (an ACL entry on one VM)', () => {
    const perVm: ServerView = {
      ...server('x', 'xenserver'),
      access: { user: 'alice@pve', superuser: false, roles: ['PVEAuditor', 'PVEVMUser'], permissions: [], denied: { shutdown: 'VM.PowerMgmt on /vms', snapshot_create: 'VM.Snapshot on /vms' }, deniedOn: { [web.id]: { snapshot_create: 'VM.Snapshot on /vms/100' } } },
    };
    const other = vm('x', 'db', { allowed: ['shutdown', 'snapshot_create'] });
    const on = (node: typeof web) => ({ ...state({ servers: [perVm], nodes: [web, other] }), selection: [node.id], focusKey: node.id });
    expect(canRun('shutdown', on(web))).toEqual({ ok: true });
    expect(canRun('take-snapshot', on(web))).toMatchObject({ ok: false, reason: expect.stringContaining('(VM.Snapshot on /vms/100)') });
    expect(canRun('shutdown', on(other))).toMatchObject({ ok: false, reason: expect.stringContaining('(VM.PowerMgmt on /vms)') });
  });
});
