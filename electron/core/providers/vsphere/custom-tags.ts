// Tags on vSphere objects as a custom attribute (issue 16): vcsim 0.24 has no tagging
// service, so Polyvisor defines one global custom field, `polyvisor.tags`, once per
// server (CustomFieldsManager.AddCustomFieldDef without a managed object type) and
// keeps an object's tags as that field's one value: a comma-separated list, "," and
// "\" escaped with "\". vCenter keeps one value per field key; vcsim 0.24's SetField
// appends another CustomFieldValue each time, so the last value for the key is the one.
// The field has no managed object type, so it applies to every ManagedEntity: VMs, hosts,
// clusters, datacenters, datastores, networks, port groups and distributed switches keep
// their tags there (vSphere folders are no objects of Polyvisor's tree).

import { PolyvisorError } from '../../../../shared/errors';
import type { LabelsFacet } from '../../../../shared/labels';
import type { NodeKind } from '../../../../shared/model';
import type { ProviderLabels } from '../provider-labels';
import { text as localized } from '../common/standard-fields';
import { networkRef } from './network-refs';
import { retrieveOne } from './property-collector';
import type { ServiceContent, VimClient } from './vim-client';
import { children, childText, el, moRef, type ManagedObjectReference, type XmlNode } from './xml';

export const TAGS_FIELD = 'polyvisor.tags';

const ENTITY_TYPE: Partial<Record<NodeKind, string>> = {
  vm: 'VirtualMachine',
  template: 'VirtualMachine',
  host: 'HostSystem',
  cluster: 'ClusterComputeResource',
  pool: 'Datacenter',
  storage: 'Datastore',
};

export const VSPHERE_LABELS_FACET: LabelsFacet = {
  tags: ['vm', 'template', 'host', 'cluster', 'pool', 'storage', 'network'],
  tagsWhere: localized(
    'Saved on the server in the custom attribute polyvisor.tags (vCenter): the vSphere Client shows it under Custom Attributes.',
    '保存在服务器上的自定义属性 polyvisor.tags 中（vCenter）：vSphere Client 在“自定义属性”下显示它。',
  ),
  ownTagsWhere: localized(
    'Saved in your Polyvisor profile: a standalone ESXi host has no custom attributes (they need vCenter).',
    '保存在您的 Polyvisor 配置文件中：独立的 ESXi 主机没有自定义属性（自定义属性需要 vCenter）。',
  ),
  folders: [],
};

/** Tags as one field value: comma-separated, "\" and "," escaped with "\". */
export function encodeTags(tags: readonly string[]): string {
  return tags.map((t) => t.replace(/\\/g, '\\\\').replace(/,/g, '\\,')).join(',');
}

export function decodeTags(value: string): string[] {
  const tags: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && i + 1 < value.length) current += value[++i];
    else if (c === ',') {
      tags.push(current);
      current = '';
    } else current += c;
  }
  tags.push(current);
  return [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
}

/** The tags in an entity's `customValue` under `fieldKey`: its last value (vcsim appends rather than replaces). */
export function customTags(customValue: XmlNode | undefined, fieldKey: string | null): string[] {
  if (fieldKey === null) return [];
  const mine = children(customValue, 'CustomFieldValue').filter((v) => childText(v, 'key')?.trim() === fieldKey);
  const last = mine[mine.length - 1];
  return last ? decodeTags(childText(last, 'value') ?? '') : [];
}

/** The key of the server's `polyvisor.tags` field, or null while nobody has defined it. */
export async function findTagsField(client: VimClient, content: ServiceContent): Promise<string | null> {
  if (!content.customFieldsManager) return null;
  const props = await retrieveOne(client, content.customFieldsManager, ['field']);
  const def = children(props?.get('field'), 'CustomFieldDef').find((d) => childText(d, 'name') === TAGS_FIELD && !childText(d, 'managedObjectType'));
  return def ? (childText(def, 'key')?.trim() ?? null) : null;
}

export interface CustomTagsContext {
  client(): VimClient;
  content(): ServiceContent;
  /** the session's ServiceContent, or null while not connected */
  connectedContent(): ServiceContent | null;
  /** the field's key is known now: the session reads it into every object's tags */
  useField(key: string): void;
  reread(refs: ManagedObjectReference[]): Promise<void>;
  /** the object of the tree with this moref, with its type as the server names it */
  objectRef(value: string): ManagedObjectReference | undefined;
}

export class VsphereLabels implements ProviderLabels {
  constructor(private readonly ctx: CustomTagsContext) {}

  /** A standalone ESXi host has no CustomFieldsManager: Polyvisor keeps its objects' tags. */
  keepsTags(): boolean {
    const content = this.ctx.connectedContent();
    // not connected: the change goes to the server and fails there, saying so
    return content === null || content.customFieldsManager !== undefined;
  }

  /** Read-modify-write of the field's value, read fresh from the server so another client's tags are kept. */
  async changeTags(target: { nativeRef: string; kind: NodeKind }, add: readonly string[], remove: readonly string[]): Promise<void> {
    const entity = entityOf(target, this.ctx.objectRef(target.nativeRef));
    const client = this.ctx.client();
    const key = await this.ensureField(client);
    const current = customTags((await retrieveOne(client, entity, ['customValue']))?.get('customValue'), key);
    const next = [...new Set([...current.filter((t) => !remove.includes(t)), ...add])];
    await client.call('SetField', this.manager(), [moRef('entity', entity), el('key', key), el('value', encodeTags(next))]);
    this.ctx.useField(key);
    // vcsim 0.24's SetField does not tell the PropertyCollector; vCenter does (a second reading is harmless)
    await this.ctx.reread([entity]);
  }

  async setFolder(): Promise<void> {
    throw new PolyvisorError({ code: 'UNSUPPORTED', message: 'vSphere folders are not kept by Polyvisor on the server: Polyvisor keeps them.' });
  }

  /** Defines `polyvisor.tags` for every managed entity the first time; another client defining it meanwhile is fine. */
  private async ensureField(client: VimClient): Promise<string> {
    const content = this.ctx.content();
    const existing = await findTagsField(client, content);
    if (existing !== null) return existing;
    try {
      const def = await client.call('AddCustomFieldDef', this.manager(), [el('name', TAGS_FIELD)]);
      const key = childText(def, 'key')?.trim();
      if (key) return key;
    } catch (err) {
      if (!(err instanceof PolyvisorError && err.info.serverCode === 'DuplicateName')) throw err;
    }
    const key = await findTagsField(client, content);
    if (key === null) throw new PolyvisorError({ code: 'SERVER_ERROR', message: `The server did not keep the custom attribute ${TAGS_FIELD}.` });
    return key;
  }

  private manager(): ManagedObjectReference {
    const manager = this.ctx.content().customFieldsManager;
    if (!manager) throw new PolyvisorError({ code: 'UNSUPPORTED', message: 'This server has no custom attributes (a standalone ESXi host): tags need vCenter.' });
    return manager;
  }
}

/** The entity as the tree knows it (a distributed switch is VmwareDistributedVirtualSwitch on vCenter, the base type on vcsim), else by its kind. */
function entityOf(target: { nativeRef: string; kind: NodeKind }, known: ManagedObjectReference | undefined): ManagedObjectReference {
  if (target.kind !== 'network' && !ENTITY_TYPE[target.kind]) {
    throw new PolyvisorError({ code: 'UNSUPPORTED', message: `vSphere tags are kept on the server's managed entities, not on a ${target.kind}.` });
  }
  if (known) return known;
  return target.kind === 'network' ? networkRef(target.nativeRef) : { type: ENTITY_TYPE[target.kind]!, value: target.nativeRef };
}
