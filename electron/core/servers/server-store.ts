// The saved host list at <home>/servers.json: { version: 1, servers: SavedServer[] }.
// Writes are atomic, one process at a time, and applied to what is on disk (the CLI may
// have changed it); an unusable file is kept aside and reported. Changes another
// process makes reach onOutsideChange as added, removed and changed servers.
// Passwords are never part of this file (they live in the OS keychain).

import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { StoreProblem } from '../../../shared/contract';
import { PolyvisorError } from '../../../shared/errors';
import type { FileLockOptions } from '../util/file-lock';
import { ProfileFile, ProfileFileStore, type ProfileWatchOptions } from '../util/profile-file';
import { sameContent } from '../util/same-content';
import { assertServerFields, sameEndpoint, serverFieldsProblem, type SavedServer, type ServerFields } from './saved-server';
import { exportServerList, parseServerList } from './server-list-format';

export const SERVERS_FILE = 'servers.json';
const SCHEMA_VERSION = 1;

/** What another process changed in the list. */
export interface ServerListChange {
  added: SavedServer[];
  removed: SavedServer[];
  changed: Array<{ before: SavedServer; after: SavedServer }>;
}

export class ServerStore extends ProfileFileStore<SavedServer[]> {

  static async open(home: string, options: { lock?: FileLockOptions } = {}): Promise<ServerStore> {
    const doc = await ProfileFile.open<SavedServer[]>({
      file: path.join(home, SERVERS_FILE),
      version: SCHEMA_VERSION,
      empty: () => [],
      parse: parseServersDocument,
      body: (servers) => ({ servers }),
      lock: options.lock,
    });
    return new ServerStore(doc);
  }

  list(): SavedServer[] {
    return this.doc.current().map(clone);
  }

  get(id: string): SavedServer | undefined {
    const s = this.doc.current().find((x) => x.id === id);
    return s && clone(s);
  }

  require(id: string): SavedServer {
    const s = this.get(id);
    if (!s) throw notFound(id);
    return s;
  }

  async add(fields: ServerFields): Promise<SavedServer> {
    assertServerFields(fields as unknown as Record<string, unknown>);
    const server: SavedServer = { ...clone(fields as SavedServer), id: randomUUID(), createdAt: new Date().toISOString() };
    return this.mutate((current) => ({ next: [...current, server], result: clone(server) }));
  }

  async update(id: string, changes: Partial<ServerFields>): Promise<SavedServer> {
    return this.mutate((current) => {
      const existing = current.find((s) => s.id === id);
      if (!existing) throw notFound(id);
      const next: SavedServer = { ...clone(existing), ...stripUndefined(changes), id: existing.id, createdAt: existing.createdAt };
      assertServerFields(next as unknown as Record<string, unknown>);
      return { next: current.map((s) => (s.id === id ? next : s)), result: clone(next) };
    });
  }

  async remove(id: string): Promise<void> {
    return this.mutate((current) => {
      if (!current.some((s) => s.id === id)) throw notFound(id);
      return { next: current.filter((s) => s.id !== id), result: undefined };
    });
  }

  exportList(): string {
    return exportServerList(this.doc.current());
  }

  /**
   * Adds the entries of an exported list (ours or XenCenter's), skipping same type+host+port
   * and entries `accept` refuses (e.g. a type this build has no provider for, an undeclared option).
   */
  async importList(content: string, accept: (entry: ServerFields) => boolean = () => true): Promise<{ added: SavedServer[]; skipped: number }> {
    const entries = parseServerList(content);
    return this.mutate((current) => {
      const next = [...current];
      const added: SavedServer[] = [];
      let skipped = 0;
      const now = new Date().toISOString();
      for (const e of entries) {
        if (next.some((s) => sameEndpoint(s, e)) || !accept(e)) {
          skipped++;
          continue;
        }
        const server: SavedServer = { ...e, options: { ...e.options }, id: randomUUID(), createdAt: now };
        next.push(server);
        added.push(server);
      }
      return { next: added.length ? next : current, result: { added: added.map(clone), skipped } };
    });
  }

  /** Follows servers.json: `listener` hears each change another process makes (the CLI, a second app). */
  watch(listener: (change: ServerListChange) => void, options: ProfileWatchOptions): void {
    this.follow(({ before, after }) => {
      const change = diffServerLists(before, after);
      if (change.added.length || change.removed.length || change.changed.length) listener(change);
    }, options);
  }

  /**
   * Runs one change at a time, under the profile's lock, on the list as it is on disk:
   * computes the next list, persists it, then makes it current. A failed write leaves
   * memory and disk as they were.
   */
  private mutate<T>(change: (current: SavedServer[]) => { next: SavedServer[]; result: T }): Promise<T> {
    return this.doc.update(change);
  }
}

export function diffServerLists(before: SavedServer[], after: SavedServer[]): ServerListChange {
  const old = new Map(before.map((s) => [s.id, s]));
  const now = new Map(after.map((s) => [s.id, s]));
  return {
    added: after.filter((s) => !old.has(s.id)).map(clone),
    removed: before.filter((s) => !now.has(s.id)).map(clone),
    changed: after.flatMap((s) => {
      const was = old.get(s.id);
      return was && !sameContent(was, s) ? [{ before: clone(was), after: clone(s) }] : [];
    }),
  };
}

function notFound(id: string): PolyvisorError {
  return new PolyvisorError({ code: 'NOT_FOUND', message: `No saved server with id ${JSON.stringify(id)}.` });
}

function parseServersDocument(doc: Record<string, unknown>): SavedServer[] | string {
  if (!Array.isArray(doc.servers)) return 'The file has no "servers" list.';
  const seen = new Set<string>();
  const out: SavedServer[] = [];
  for (const [i, raw] of doc.servers.entries()) {
    const s = (raw ?? {}) as Record<string, unknown>;
    if (typeof s.id !== 'string' || !s.id || seen.has(s.id)) return `Server ${i + 1} has a missing or repeated id.`;
    if (typeof s.createdAt !== 'string') return `Server ${i + 1} has no creation time.`;
    const problem = serverFieldsProblem(s);
    if (problem) return `Server ${i + 1}: ${problem}`;
    seen.add(s.id);
    out.push({
      id: s.id,
      type: s.type as SavedServer['type'],
      name: s.name as string,
      host: s.host as string,
      port: s.port as number,
      username: s.username as string,
      autoConnect: s.autoConnect as boolean,
      rememberPassword: s.rememberPassword as boolean,
      options: { ...(s.options as SavedServer['options']) },
      createdAt: s.createdAt,
    });
  }
  return out;
}

function clone(s: SavedServer): SavedServer {
  return { ...s, options: { ...s.options } };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
