// The test's own reading of a xapi state.db dump, independent of the simulator's
// loader and of the provider: just the VM/host/pool facts the inventory must show.

import { readFileSync } from 'node:fs';

export interface DumpVm {
  ref: string;
  name: string;
  powerState: string;
  residentOn: string;
  isTemplate: boolean;
  isSnapshot: boolean;
  isControlDomain: boolean;
  snapshotOf: string;
}

export interface DumpFacts {
  poolRef: string;
  poolName: string;
  hosts: Map<string, string>; // ref → name
  vms: DumpVm[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? whole;
  });
}

function rows(xml: string, table: string): Array<Record<string, string>> {
  const start = xml.indexOf(`<table name="${table}">`);
  if (start < 0) return [];
  const end = xml.indexOf('</table>', start);
  const body = xml.slice(start, end);
  const out: Array<Record<string, string>> = [];
  for (const row of body.matchAll(/<row\s([^>]*?)\/>/g)) {
    const attrs: Record<string, string> = {};
    for (const a of row[1]!.matchAll(/([\w.]+)="([^"]*)"/g)) attrs[a[1]!] = decode(a[2]!);
    out.push(attrs);
  }
  return out;
}

export function readDump(path: string): DumpFacts {
  const xml = readFileSync(path, 'utf8');
  const pool = rows(xml, 'pool')[0]!;
  const hosts = new Map(rows(xml, 'host').map((h) => [h.ref!, h.name__label ?? h.name_label ?? '']));
  const vms = rows(xml, 'VM').map((v) => ({
    ref: v.ref!,
    name: v.name__label ?? '',
    powerState: v.power_state ?? '',
    residentOn: v.resident_on ?? '',
    isTemplate: v.is_a_template === 'true',
    isSnapshot: v.is_a_snapshot === 'true',
    isControlDomain: v.is_control_domain === 'true',
    snapshotOf: v.snapshot_of ?? '',
  }));
  return { poolRef: pool.ref!, poolName: pool.name__label ?? pool.name_label ?? '', hosts, vms };
}
