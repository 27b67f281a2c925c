// Lays out a grouped view (Objects, Tags, Folders, Saved searches) in the same shape as
// the Infrastructure tree (TreeOrder), so the virtualized tree, the selection and the
// commands work on it unchanged. Object rows keep their node ids; group rows get keys
// of their own (groupKey) that no command acts on. An object under two tags has two rows.
import type { TreeOrder } from '../tree/flatten';

export const GROUP_PREFIX = 'grp|';
export const groupKey = (view: string, id: string): string => `${GROUP_PREFIX}${view}|${id}`;
export const isGroupKey = (key: string): boolean => key.startsWith(GROUP_PREFIX);

/** A group row: its words (a translation key, or the tag / folder / search name as it is) and how many objects it holds. */
export interface GroupInfo {
  labelKey?: string;
  label?: string;
  count: number;
  icon: 'folder' | 'tag' | 'search' | 'group';
}

export interface ViewOrder extends TreeOrder {
  groups: Map<string, GroupInfo>;
}

export class OrderBuilder {
  private readonly keys: string[] = [];
  private readonly serverIds: string[] = [];
  private readonly names: string[] = [];
  private readonly depth: number[] = [];
  private readonly parent: number[] = [];
  private readonly end: number[] = [];
  private readonly template: number[] = [];
  private readonly positionOf = new Map<string, number>();
  private readonly open: number[] = [];
  readonly groups = new Map<string, GroupInfo>();

  /** A group row; what is added until closeGroup() hangs under it. */
  openGroup(key: string, info: GroupInfo, lowerName: string, template = false): void {
    this.groups.set(key, info);
    this.open.push(this.add(key, '', lowerName, template));
  }

  closeGroup(): void {
    const pos = this.open.pop()!;
    this.end[pos] = this.keys.length;
  }

  /** An object row (a leaf of the view). */
  item(key: string, serverId: string, lowerName: string, template = false): void {
    const pos = this.add(key, serverId, lowerName, template);
    this.end[pos] = pos + 1;
  }

  private add(key: string, serverId: string, lowerName: string, template: boolean): number {
    const pos = this.keys.length;
    this.keys.push(key);
    this.serverIds.push(serverId);
    this.names.push(lowerName);
    this.depth.push(this.open.length);
    this.parent.push(this.open.length ? this.open[this.open.length - 1]! : -1);
    this.end.push(pos + 1);
    this.template.push(template ? 1 : 0);
    // the first row of an object that shows twice is where it is focused and scrolled to
    if (!this.positionOf.has(key)) this.positionOf.set(key, pos);
    return pos;
  }

  build(): ViewOrder {
    return {
      keys: this.keys,
      serverIds: this.serverIds,
      names: this.names,
      depth: Uint16Array.from(this.depth),
      parent: Int32Array.from(this.parent),
      end: Int32Array.from(this.end),
      template: Uint8Array.from(this.template),
      positionOf: this.positionOf,
      groups: this.groups,
    };
  }
}
