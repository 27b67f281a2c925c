// The saved host list at <home>/servers.json: { version: 1, servers: SavedServer[] }.
// Writes are atomic and serialized; an unusable file is kept aside and reported.
// Passwords are never part of this file (they live in the OS keychain).

import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { StoreProblem } from '../../../shared/contract';
import { PolyvisorError } from '../../../shared/errors';
import { loadVersionedFile, saveVersionedFile } from '../util/versioned-json-file';
import { assertServerFields, sameEndpoint, serverFieldsProblem, type SavedServer, type ServerFields } from './saved-server';
import { exportServerList, parseServerList } from './server-list-format';

export const SERVERS_FILE = 'servers.json';
const SCHEMA_VERSION = 1;

export class ServerStore {
  private servers: SavedServer[];
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly file: string,
    servers: SavedServer[],
    readonly problem?: StoreProblem,
  ) {
    this.servers = servers;
  }

  static async open(home: string): Promise<ServerStore> {
    const file = path.join(home, SERVERS_FILE);
    const loaded = await loadVersionedFile<SavedServer[]>({
      file,
      version: SCHEMA_VERSION,
      empty: () => [],
      parse: parseServersDocument,
    });
    return new ServerStore(file, loaded.value, loaded.problem);
  }

  list(): SavedServer[] {
    return this.servers.map(clone);
  }

  get(id: string): SavedServer | undefined {
    const s = this.servers.find((x) => x.id === id);
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
    return exportServerList(this.servers);
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

  /**
   * Runs one change at a time: computes the next list from the current one, persists it,
   * then makes it current. A failed write leaves memory and disk as they were.
   */
  private mutate<T>(change: (current: SavedServer[]) => { next: SavedServer[]; result: T }): Promise<T> {
    const run = this.writing.then(async () => {
      const { next, result } = change(this.servers);
      if (next !== this.servers) {
        await saveVersionedFile(this.file, SCHEMA_VERSION, { servers: next });
        this.servers = next;
      }
      return result;
    });
    this.writing = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
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
