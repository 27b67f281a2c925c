// What the Snapshots tab shows where its tree would be (issue 17): a guest whose list is
// not read yet is "reading", not "no snapshots"; a failed read shows the error.
import { describe, expect, it } from 'vitest';
import { snapshotListView } from '../../renderer/src/snapshots/snapshot-list-read';

const error = { code: 'SERVER_ERROR' as const, message: 'Configuration file does not exist', serverCode: '500' };

describe('snapshotListView', () => {
  it('says a pending guest is being read, never that it has no snapshots', () => {
    expect(snapshotListView({ snapshotsPending: true }, 0, null)).toBe('reading');
  });
  it('shows the failure of a pending guest’s read', () => {
    expect(snapshotListView({ snapshotsPending: true }, 0, error)).toBe('failed');
  });
  it('shows the list, or that there are none, once it is read', () => {
    expect(snapshotListView({}, 0, null)).toBe('none');
    expect(snapshotListView({}, 2, null)).toBe('list');
    // an earlier failure no longer matters once the list came (a later poll read it)
    expect(snapshotListView({}, 1, error)).toBe('list');
  });
});
