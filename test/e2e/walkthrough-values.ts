// What a server sends that a user would read untranslated: a property without a label in
// both languages, or a raw value of a property the provider declares words for that has
// none (a value the peer sends which the provider's table lacks).
import type { ServerView } from '../../shared/contract';
import type { ProviderDescriptor } from '../../shared/descriptor';
import type { InventoryNode } from '../../shared/model';
import { isEnumerated, readValue } from '../../shared/property-reading';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './fixtures';

const translations = (language: string): unknown => JSON.parse(readFileSync(path.join(repoRoot, 'renderer', 'src', 'i18n', `${language}.json`), 'utf8'));
const en = translations('en');
const zhCN = translations('zh-CN');

/** what the General tab never shows (GeneralTab's own list) */
const NOT_SHOWN = new Set(['standalone', 'state']);

function has(file: unknown, key: string): boolean {
  let at: unknown = file;
  for (const part of key.split('.')) {
    if (!at || typeof at !== 'object' || !Object.hasOwn(at, part)) return false;
    at = (at as Record<string, unknown>)[part];
  }
  return typeof at === 'string' && at.trim() !== '';
}

export function untranslatedProps(nodes: InventoryNode[], servers: ServerView[], descriptors: ProviderDescriptor[]): string[] {
  const problems = new Set<string>();
  for (const node of nodes) {
    // a server's page is its connection details, not its props
    if (node.kind === 'server') continue;
    const type = servers.find((s) => s.id === node.serverId)?.type;
    const reading = descriptors.find((d) => d.type === type)?.properties;
    for (const [key, value] of Object.entries(node.props)) {
      if (NOT_SHOWN.has(key) || reading?.hidden?.[node.kind]?.includes(key)) continue;
      const labelled = (file: unknown) => has(file, `propFor.${node.kind}.${key}`) || has(file, `prop.${key}`);
      if (!labelled(en) || !labelled(zhCN)) problems.add(`${type} ${node.kind}: no label for "${key}"`);
      if (!isEnumerated(reading, key) || reading?.openValues?.includes(key)) continue;
      for (const raw of Array.isArray(value) ? value : [value]) {
        if (typeof raw !== 'string' || raw === '') continue;
        if (typeof readValue(reading, key, raw) === 'string') problems.add(`${type} ${node.kind}: no words for ${key}="${raw}"`);
      }
    }
  }
  return [...problems].sort();
}
