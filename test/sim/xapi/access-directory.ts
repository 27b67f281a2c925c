// The directory the access tests join: one domain, its joining account, users and groups.
import type { SimDirectory } from './directory';

export const TEST_DIRECTORY: SimDirectory = {
  domain: 'corp.example.com',
  netbios: 'CORP',
  joinUser: 'Administrator',
  joinPassword: 'join-secret',
  users: [
    { name: 'Administrator', password: 'join-secret', groups: ['Domain Admins'] },
    { name: 'alice', password: 'alice-pw', displayName: 'Alice Operator', groups: ['vm-operators'] },
    { name: 'bob', password: 'bob-pw', displayName: 'Bob Reader', groups: [] },
    { name: 'carol', password: 'carol-pw', displayName: 'Carol Former', disabled: true },
  ],
  groups: ['Domain Admins', 'vm-operators'],
};
