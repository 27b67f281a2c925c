// Setting and removing one configuration key of a guest, and the pending changes
// a running guest takes at its next start. name/hostname, memory, cores and tags
// live in SimGuest's own fields (the inventory reads them); the rest in `config`.

import { socketsOf, type ConfigValue, type SimGuest } from './state';

const MiB = 1024 * 1024;

/** PVE 8's memory option: "[current=]<MiB>". */
export function memoryMiB(value: ConfigValue | boolean): number {
  const m = /^(?:current=)?(\d+)$/.exec(String(value).trim());
  return m ? Number(m[1]) : NaN;
}

export function setKey(g: SimGuest, key: string, value: ConfigValue): void {
  switch (key) {
    case 'name':
    case 'hostname':
      g.name = String(value);
      break;
    case 'memory':
      g.maxmem = memoryMiB(value) * MiB;
      break;
    case 'cores':
      g.maxcpu = Number(value) * socketsOf(g);
      break;
    case 'sockets': {
      const cores = Math.max(1, Math.round(g.maxcpu / socketsOf(g)));
      g.config.sockets = Number(value);
      g.maxcpu = cores * socketsOf(g);
      break;
    }
    case 'tags':
      g.tags = String(value) || undefined;
      break;
    default:
      g.config[key] = value;
  }
  g.configVersion++;
}

export function deleteKey(g: SimGuest, key: string): void {
  switch (key) {
    case 'tags':
      g.tags = undefined;
      break;
    case 'cores':
      g.maxcpu = socketsOf(g);
      break;
    case 'sockets': {
      const cores = Math.max(1, Math.round(g.maxcpu / socketsOf(g)));
      delete g.config.sockets;
      g.maxcpu = cores;
      break;
    }
    default:
      delete g.config[key];
  }
  g.configVersion++;
}

/** The value a key has now, as GET …/config (current=1) gives it. */
export function currentValue(g: SimGuest, key: string): ConfigValue | undefined {
  switch (key) {
    case 'name':
    case 'hostname':
      return g.name;
    case 'memory':
      return g.type === 'qemu' ? String(Math.round(g.maxmem / MiB)) : Math.round(g.maxmem / MiB);
    case 'cores':
      return Math.max(1, Math.round(g.maxcpu / socketsOf(g)));
    case 'tags':
      return g.tags;
    default:
      return g.config[key];
  }
}

export function hasPending(g: SimGuest): boolean {
  return Object.keys(g.pending ?? {}).length > 0 || (g.pendingDelete?.length ?? 0) > 0;
}

export function addPending(g: SimGuest, key: string, value: ConfigValue): void {
  g.pending = { ...(g.pending ?? {}), [key]: value };
  g.pendingDelete = (g.pendingDelete ?? []).filter((k) => k !== key);
  g.configVersion++;
}

export function addPendingDelete(g: SimGuest, key: string): void {
  if (g.pending) delete g.pending[key];
  if (!(g.pendingDelete ?? []).includes(key)) g.pendingDelete = [...(g.pendingDelete ?? []), key];
  g.configVersion++;
}

/** `revert`: drops the pending changes of these keys. */
export function revertPending(g: SimGuest, keys: string[]): void {
  for (const key of keys) {
    if (g.pending) delete g.pending[key];
    g.pendingDelete = (g.pendingDelete ?? []).filter((k) => k !== key);
  }
  g.configVersion++;
}

/** A (re)start of the guest: what was pending becomes its configuration. */
export function applyPending(g: SimGuest): void {
  if (!hasPending(g)) return;
  for (const key of g.pendingDelete ?? []) deleteKey(g, key);
  for (const [key, value] of Object.entries(g.pending ?? {})) setKey(g, key, value);
  g.pending = undefined;
  g.pendingDelete = undefined;
  g.configVersion++;
}
