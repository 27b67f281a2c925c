// Test helper: an independent, regex-based read of a state.db dump (no shared
// code with the simulator's loader), used to check what the simulator serves.
import { readFileSync } from 'node:fs';
import { XAPI_DB_DIR } from '../../shared-dir';

export const FIXTURE_DIR = XAPI_DB_DIR;
export const FIXTURES = [
  'boston-db.xml',
  'single-host-krakout.xml',
  'small_vms.xml',
  'state1.xml',
  'state4.xml',
  'tampa-poolof16and23-xapi-db.xml',
];

const decode = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** rows per table name, each row as its raw attributes (XML entities decoded) */
export function readRows(file: string): Map<string, Record<string, string>[]> {
  const xml = readFileSync(`${FIXTURE_DIR}/${file}`, 'utf8');
  const tables = new Map<string, Record<string, string>[]>();
  const tableRe = /<table name="([^"]+)"\s*(\/>|>([\s\S]*?)<\/table>)/g;
  for (const t of xml.matchAll(tableRe)) {
    const rows: Record<string, string>[] = [];
    for (const r of (t[3] ?? '').matchAll(/<row\b([^>]*?)\/>/g)) {
      const attrs: Record<string, string> = {};
      for (const a of r[1].matchAll(/([A-Za-z0-9_]+)="([^"]*)"/g)) attrs[a[1]] = decode(a[2]);
      rows.push(attrs);
    }
    tables.set(t[1], rows);
  }
  return tables;
}
