// vSphere users and permissions (issue 16) against vcsim 0.24: the AuthorizationManager's
// roles and permissions as the Users tab lists them, a principal the UserDirectory knows
// given a role on the root folder, its role changed and its permission removed — each read
// back through a raw SOAP session (RetrieveAllPermissions). What vcsim lacks is asserted as
// it is: HasPrivilegeOnEntities grants every privilege, so nothing is greyed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VsphereProvider } from '../../../electron/core/providers/vsphere';
import { BUILD_AND_START_TIMEOUT, TEST_TIMEOUT, skipVcsim, startConnected, type ConnectedPeer } from './harness';
import { text, type RawSoap } from './raw-soap';

type Node = Record<string, unknown>;
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

describe.skipIf(skipVcsim)('vSphere users and permissions (VPX model)', { timeout: TEST_TIMEOUT }, () => {
  let peer: ConnectedPeer;
  let provider: VsphereProvider;
  let raw: RawSoap;

  beforeAll(async () => {
    peer = await startConnected({ model: 'vpx' });
    ({ provider, raw } = peer);
  }, BUILD_AND_START_TIMEOUT);
  afterAll(async () => peer?.stop());

  /** principal → role id of every permission, as the server itself lists them */
  async function serverPermissions(): Promise<Array<[string, string, string]>> {
    const auth = { type: 'AuthorizationManager', value: 'AuthorizationManager' };
    const res = await raw.call('RetrieveAllPermissions', auth, '');
    return list(res.returnval as Node | Node[]).map((p) => [text(p.principal), text(p.group), text(p.roleId)] as [string, string, string]).sort();
  }

  it('the session’s access: vcsim grants every privilege (HasPrivilegeOnEntities), so nothing is denied', () => {
    expect(provider.access.session()).toMatchObject({ superuser: false, denied: {} });
  });

  it('lists the principals with their roles and the roles the server has', async () => {
    const overview = await provider.access.overview();
    expect(overview.roles.map((r) => r.name)).toEqual(expect.arrayContaining(['Admin', 'ReadOnly']));
    expect(overview.subjects.map((s) => [s.id, s.roles])).toEqual(expect.arrayContaining([['user:admin', ['Admin']], ['group:root', ['Admin']]]));
  });

  it('gives a known principal a role on the root folder, changes it and removes it (read back from the server)', async () => {
    const before = await serverPermissions();
    await expect(provider.access.addSubject('nobody-here', 'ReadOnly')).rejects.toMatchObject({ info: { code: 'NOT_FOUND' } });
    await provider.access.setRole('user:admin', 'ReadOnly');
    // vSphere's fixed role ids: Admin -1, ReadOnly -2
    expect((await serverPermissions()).find(([p, g]) => p === 'admin' && g === 'false')?.[2]).toBe('-2');
    // the other principals on the root folder kept theirs
    expect((await serverPermissions()).filter(([p]) => p !== 'admin')).toEqual(before.filter(([p]) => p !== 'admin'));
    await provider.access.removeSubject('user:admin');
    expect((await serverPermissions()).some(([p, g]) => p === 'admin' && g === 'false')).toBe(false);
    await provider.access.addSubject('admin', 'Admin');
    expect((await serverPermissions()).find(([p, g]) => p === 'admin' && g === 'false')?.[2]).toBe('-1');
  });
});
