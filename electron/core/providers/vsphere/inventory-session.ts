// One logged-in vSphere session as the connection loop sees it (a LiveSession):
// a PropertyCollector filter over the whole inventory whose initial update set
// (WaitForUpdatesEx from version "", in pages of `pageSize` objects) IS the
// initial load, then that filter's changes from the version the load ended at.
// Loading and following through the same filter leaves no moment in which a
// change can fall between the two: the server reports every change after the
// version it gave us. (A separate RetrievePropertiesEx before CreateFilter did
// leave one, and a truncated initial set used to be half applied.)
// A session the server ends (expiry, an administrator) is logged in again here
// and resynchronised through a new filter; any other failure ends follow() and
// the connection loop opens a new session.

import { isSessionFault } from './faults';
import type { LiveSession } from '../common/live-connection';
import { INVENTORY_PROPS, inventorySpec } from './inventory-spec';
import { InventoryModel } from './inventory-model';
import { findTagsField } from './custom-tags';
import { cancelWaitForUpdates, createFilter, retrieveOne, waitForUpdates, type UpdateSet } from './property-collector';
import type { ServiceContent, VimClient } from './vim-client';
import type { ManagedObjectReference } from './xml';
import { isPolyvisorError, PolyvisorError, toErrorInfo } from '../../../../shared/errors';

export interface SessionOptions {
  serverId: string;
  /** WaitForUpdatesEx maxWaitSeconds */
  maxWaitSeconds: number;
  /** objects per answer (maxObjectUpdates) */
  pageSize: number;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
}

/** Where a session's view of the inventory goes. */
export interface InventoryPublisher {
  /** the whole inventory, after each (re)synchronisation */
  synchronized(model: InventoryModel): void;
  /** these objects changed */
  changed(model: InventoryModel, touched: Set<string>): void;
}

const CANCEL_WAIT_MS = 2_000;

export const knownPaths = (type: string): readonly string[] | undefined =>
  INVENTORY_PROPS[type === 'ClusterComputeResource' ? 'ComputeResource' : type];

export class VsphereSession implements LiveSession {
  private filterGeneration = -1;
  private version = '';
  private current: InventoryModel | null = null;
  private broken = false;
  /** the key of the server's `polyvisor.tags` custom field, read at each synchronisation */
  private tagsField: string | null = null;
  /** objects reread after Polyvisor's own changes, read once more after the update cycle in flight (see reread) */
  private readonly rereadAfterCycle = new Map<string, ManagedObjectReference>();

  private constructor(
    readonly client: VimClient,
    readonly content: ServiceContent,
    private readonly options: SessionOptions,
    private readonly publisher: InventoryPublisher,
  ) {}

  /** Logs in and publishes the whole inventory. `client` is the session's: closing the session closes it. */
  static async open(client: VimClient, options: SessionOptions, publisher: InventoryPublisher, signal: AbortSignal): Promise<VsphereSession> {
    const content = await client.connect(signal);
    const session = new VsphereSession(client, content, options, publisher);
    await session.synchronize(signal);
    return session;
  }

  get model(): InventoryModel | null {
    return this.current;
  }

  async follow(signal: AbortSignal): Promise<void> {
    let poll: AbortController | null = null;
    // another call logged in again: the filter died with the old session, stop waiting on it
    const onRelogin = () => poll?.abort();
    this.client.on('relogin', onRelogin);
    try {
      while (!signal.aborted) {
        const generation = this.client.generation;
        try {
          if (this.filterGeneration !== generation) {
            await this.synchronize(signal);
            await this.settleRereads();
            continue;
          }
          poll = new AbortController();
          const { maxWaitSeconds, pageSize } = this.options;
          const updates = await waitForUpdates(this.client, this.version, { maxWaitSeconds, maxObjectUpdates: pageSize, signal: AbortSignal.any([signal, poll.signal]) });
          poll = null;
          if (updates) await this.apply(updates, signal);
          await this.settleRereads();
        } catch (err) {
          poll = null;
          if (signal.aborted) return;
          if (this.client.generation !== generation) continue; // logged in again meanwhile: resynchronise on the new session
          if (!isSessionFault(err)) throw err;
          this.options.log('info', 'vSphere session ended: logging in again');
          await this.client.relogin(generation, signal);
        }
      }
    } catch (err) {
      this.broken = true;
      throw err;
    } finally {
      this.client.off('relogin', onRelogin);
    }
  }

  /**
   * Reads these objects again and publishes what changed. After Polyvisor's own changes:
   * vcsim 0.24 sets config.template, numCPU, memoryMB and memoryAllocation in place without
   * telling its collector (vCenter tells), and its long poll can fail after a Destroy_Task; an
   * object the server no longer has leaves the tree. A second reading of a reported change is harmless.
   */
  async reread(refs: ManagedObjectReference[]): Promise<void> {
    // An update set computed before the change (or a resynchronisation read before it) may be
    // applied after this reading; vcsim never reports the change, so it would stay stale.
    for (const ref of refs) this.rereadAfterCycle.set(`${ref.type}:${ref.value}`, ref);
    await this.readObjects(refs);
  }

  /** Polyvisor defined the tags field (or found it): every object read from now on shows its tags. */
  useTagsField(key: string): void {
    this.tagsField = key;
    if (this.current) this.current.tagsField = key;
  }

  /** Objects the server has destroyed at our request leave the tree now; they are not read again. */
  forget(refs: ManagedObjectReference[]): void {
    const model = this.current;
    if (!model) return;
    const touched = new Set<string>();
    for (const ref of refs) {
      const key = `${ref.type}:${ref.value}`;
      this.rereadAfterCycle.delete(key);
      model.removeObject(ref);
      touched.add(key);
    }
    if (touched.size) this.publisher.changed(model, touched);
  }

  private async settleRereads(): Promise<void> {
    if (!this.rereadAfterCycle.size) return;
    const refs = [...this.rereadAfterCycle.values()];
    this.rereadAfterCycle.clear();
    // a second look only: failing it must not end the live session the first reading already updated
    await this.readObjects(refs).catch((err: unknown) => this.options.log('warn', `re-reading ${refs.length} changed object(s) failed: ${toErrorInfo(err).message}`));
  }

  private async readObjects(refs: ManagedObjectReference[]): Promise<void> {
    const model = this.current;
    if (!model) return;
    const touched = new Set<string>();
    for (const ref of refs) {
      const props = await retrieveOne(this.client, ref, [...(knownPaths(ref.type) ?? ['name'])]).catch((err: unknown) => {
        if (isPolyvisorError(err, 'NOT_FOUND')) return null; // deleted: the server answers ManagedObjectNotFound
        throw err;
      });
      if (props) model.setObject(ref, props);
      else model.removeObject(ref);
      touched.add(`${ref.type}:${ref.value}`);
    }
    if (touched.size && model === this.current) this.publisher.changed(model, touched);
  }

  async close(): Promise<void> {
    if (!this.broken && this.filterGeneration === this.client.generation) {
      try {
        // the server may still hold our last long poll: let it go before logging out
        await cancelWaitForUpdates(this.client, AbortSignal.timeout(CANCEL_WAIT_MS));
      } catch (err) {
        this.options.log('debug', `CancelWaitForUpdates failed: ${toErrorInfo(err).message}`);
      }
    }
    await this.client.close();
  }

  /** A new filter and its whole initial update set, read page by page into a fresh model, then published. */
  private async synchronize(signal: AbortSignal): Promise<void> {
    const generation = this.client.generation;
    await createFilter(this.client, inventorySpec(this.content.rootFolder), signal);
    // ESXi answers as 'HostAgent', vCenter as 'VirtualCenter'
    const model = new InventoryModel(this.options.serverId, this.content.about.apiType === 'HostAgent');
    const field = await findTagsField(this.client, this.content).catch((err: unknown) => {
      this.options.log('warn', `reading the custom fields failed (tags are not shown): ${toErrorInfo(err).message}`);
      return null;
    });
    model.tagsField = this.tagsField = field ?? this.tagsField;
    const refetch: ManagedObjectReference[] = [];
    let version = '';
    for (;;) {
      const { maxWaitSeconds, pageSize } = this.options;
      const page = await waitForUpdates(this.client, version, { maxWaitSeconds, maxObjectUpdates: pageSize, signal });
      if (!page) break;
      refetch.push(...model.applyUpdates(page.updates, knownPaths).refetch);
      version = page.version;
      if (!page.truncated) break;
    }
    await this.refetch(model, refetch, signal);
    if (signal.aborted) throw new PolyvisorError({ code: 'CANCELLED', message: 'The connection was closed while loading the inventory.' });
    this.current = model;
    this.version = version;
    this.filterGeneration = generation;
    this.options.log('info', `inventory stream synchronized (${model.size} objects)`);
    this.publisher.synchronized(model);
  }

  private async apply(updates: UpdateSet, signal: AbortSignal): Promise<void> {
    const model = this.current!;
    const { touched, refetch } = model.applyUpdates(updates.updates, knownPaths);
    await this.refetch(model, refetch, signal);
    this.version = updates.version;
    this.publisher.changed(model, touched);
  }

  /** Objects whose changed paths could not be applied in place (e.g. `disabledMethod["Destroy_Task"]`), read again whole. */
  private async refetch(model: InventoryModel, refs: ManagedObjectReference[], signal: AbortSignal): Promise<void> {
    for (const ref of refs) {
      const props = await retrieveOne(this.client, ref, [...(knownPaths(ref.type) ?? ['name'])], { signal });
      if (props) model.setObject(ref, props);
    }
  }
}
