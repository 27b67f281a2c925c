// A new VM (or container) from the selected snapshot, and a template from it: each asks
// for the new object's name; the platform must have the operation (descriptor facets).
import type { ProviderFacets } from '../../../shared/descriptor';
import { storeActions } from '../store/store';
import { labelFor, nodeActionReason } from './rules';
import { snapshotFacetReason } from './snapshot-facets';
import { snapshotReason } from './revert-snapshot';
import { unless, type Command } from './types';

function copyCommand(id: string, action: 'snapshot_clone' | 'snapshot_template', has: (f: ProviderFacets) => boolean, lacksKey: string): Command {
  return {
    id,
    label: (ctx) => labelFor(ctx, action, ctx.subject ? [ctx.subject] : []),
    opensDialog: true,
    glyph: action === 'snapshot_clone' ? 'add' : 'template',
    canRun: (ctx) => unless(snapshotReason(ctx) ?? snapshotFacetReason(ctx, has, lacksKey) ?? nodeActionReason(ctx, ctx.snapshot!, action)),
    run: (ctx) => storeActions.openDialog({ kind: 'snapshotCopy', snapshotId: ctx.snapshot!.id, action }),
  };
}

export const newVmFromSnapshotCommand = copyCommand('new-vm-from-snapshot', 'snapshot_clone', (f) => f.snapshotClone, 'snapshotTab.cloneUnsupported');
export const templateFromSnapshotCommand = copyCommand('template-from-snapshot', 'snapshot_template', (f) => f.snapshotToTemplate, 'snapshotTab.templateUnsupported');
