// Policy marks in snapshot descriptions (Proxmox VE and vSphere share the form:
// the tag on its own last line) and the names Proxmox clones get.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markDescription, policyIdOfTag, readMarkedDescription } from '../../electron/core/providers/common/policy-mark';
import { cloneName, type SnapshotTarget } from '../../electron/core/providers/proxmox/snapshot-actions';
import { isPolyvisorError } from '../../shared/errors';
import { policyTag } from '../../shared/schedules';

const policyIds = fc.stringMatching(/^[A-Za-z0-9:._-]{1,60}$/);

describe('policy marks in descriptions', () => {
  it('round-trips any description and policy id', () => {
    fc.assert(
      fc.property(fc.string(), policyIds, (description, policyId) => {
        expect(readMarkedDescription(markDescription(description, policyId))).toEqual({ description, policyId });
      }),
    );
  });

  it('leaves a description without a policy as it was', () => {
    fc.assert(
      fc.property(fc.string(), (description) => {
        expect(markDescription(description, undefined)).toBe(description);
      }),
    );
  });

  it('counts a tag only as a whole last line, never inside a user’s words', () => {
    expect(readMarkedDescription(`see ${policyTag('p1')}`)).toEqual({ description: `see ${policyTag('p1')}` });
    expect(readMarkedDescription(`${policyTag('p1')}\nmy note`)).toEqual({ description: `${policyTag('p1')}\nmy note` });
    expect(readMarkedDescription(`${policyTag('p1')} and more`).policyId).toBeUndefined();
    expect(readMarkedDescription(`note\r\n${policyTag('p1')}\r`)).toEqual({ description: 'note\r', policyId: 'p1' });
    expect(readMarkedDescription(null)).toEqual({ description: '' });
  });

  it('reads a label that holds exactly a tag', () => {
    expect(policyIdOfTag(policyTag('polyvisor:abc'))).toBe('polyvisor:abc');
    expect(policyIdOfTag(`x${policyTag('polyvisor:abc')}`)).toBeUndefined();
    expect(policyIdOfTag(undefined)).toBeUndefined();
  });
});

describe('Proxmox clone names', () => {
  const target: SnapshotTarget = { type: 'qemu', vmid: 100, node: 'n1', name: 'web01', snapname: 'before_upgrade' };

  it('makes a DNS name from the guest and snapshot when none is given', () => {
    expect(cloneName({}, target)).toBe('web01-before-upgrade');
    expect(cloneName({}, { ...target, name: '__', snapname: '_-' })).toBe('copy-of-100');
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{1,39}$/), (name, snapname) => {
        expect(cloneName({}, { ...target, name, snapname })).toMatch(/^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\.)*[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/);
      }),
    );
  });

  it('keeps a valid name and refuses one PVE would refuse, naming the field', () => {
    expect(cloneName({ name: ' web.copy-2 ' }, target)).toBe('web.copy-2');
    for (const name of ['has space', 'under_score', '-lead', 'trail-', 'a..b']) {
      let err: unknown;
      try {
        cloneName({ name }, target);
      } catch (e) {
        err = e;
      }
      expect(isPolyvisorError(err, 'INVALID_INPUT') && err.info.field, name).toBe('name');
    }
  });
});
