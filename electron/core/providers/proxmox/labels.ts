// Proxmox VE keeps a guest's tags in its configuration (`tags`, ";"-separated, per
// pve-api-schema): changed through the guest's configuration like any other setting.
// Folders Proxmox has none of: Polyvisor keeps them (issue 16).
import { PolyvisorError } from '../../../../shared/errors';
import type { LabelsFacet } from '../../../../shared/labels';
import type { NodeKind } from '../../../../shared/model';
import type { ProviderGuests, TaskReporter } from '../provider';
import type { ProviderLabels } from '../provider-labels';
import { text } from '../common/standard-fields';

export const PROXMOX_LABELS_FACET: LabelsFacet = {
  tags: ['vm', 'container', 'template'],
  tagsWhere: text("Saved in the guest's configuration as Proxmox VE tags: the Proxmox VE web UI shows the same tags.", '作为 Proxmox VE 标记保存在客户机配置中：Proxmox VE 网页界面显示相同的标记。'),
  folders: [],
};

/** A change of tags is one configuration write: no progress worth a task of its own. */
function quietReporter(): TaskReporter {
  return {
    progress: () => undefined,
    setCancellable: () => undefined,
    signal: new AbortController().signal,
    child: () => Promise.reject(new PolyvisorError({ code: 'INTERNAL', message: 'A tag change has no steps.' })),
  };
}

export function proxmoxLabels(guests: ProviderGuests): ProviderLabels {
  return {
    async changeTags(target: { nativeRef: string; kind: NodeKind }, add: readonly string[], remove: readonly string[]) {
      const current = (await guests.properties(target)).tags ?? [];
      const next = [...new Set([...current.filter((t) => !remove.includes(t)), ...add])];
      await guests.configure(target, { tags: next }, quietReporter());
    },
    async setFolder() {
      throw new PolyvisorError({ code: 'UNSUPPORTED', message: 'Proxmox VE keeps no folders: Polyvisor keeps them.' });
    },
  };
}
