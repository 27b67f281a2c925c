// A node's label in the tree: its name, or the platform's own form for guests where the
// descriptor gives one (a VMID before the name).
import { formatDisplay, type FieldValues, type ProviderDescriptor } from '../../../shared/descriptor';
import type { InventoryNode } from '../../../shared/model';

const GUESTS = new Set(['vm', 'container', 'template']);

export function treeLabel(node: InventoryNode, descriptor: ProviderDescriptor | undefined): string {
  const rules = descriptor?.display.guest;
  if (!rules?.length || !GUESTS.has(node.kind)) return node.name;
  const values: FieldValues = { name: node.name };
  for (const [key, value] of Object.entries(node.props)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') values[key] = value;
  }
  return formatDisplay(rules, values, []) || node.name;
}
