// Making, changing and removing guests (issue 14): the New VM wizard's options
// and its create task, the Properties dialog's read and configure tasks, the
// delete confirmation's plan, and Docker's image and volume housekeeping. Every
// change runs as a task; every request names servers and nodes by id.

import type { TaskInfo } from '../../../shared/contract';
import { PolyvisorError } from '../../../shared/errors';
import type { CreateOptions, DeletePlan, GuestChanges, GuestCreateSpec, GuestProperties } from '../../../shared/guests';
import { nodeId, type InventoryNode } from '../../../shared/model';
import { untakenCustomizationField } from '../../../shared/cloud-init';
import type { InventoryStore } from '../inventory/inventory-store';
import type { Provider, ProviderGuests, ProviderImages } from '../providers/provider';
import type { ProviderRegistry } from '../providers/registry';
import type { ServerStore } from '../servers/server-store';
import type { TaskManager } from '../tasks/task-manager';
import type { ConnectionService } from './connections';

const GUEST_KINDS = new Set(['vm', 'container', 'template']);

export class GuestService {
  constructor(
    private readonly servers: ServerStore,
    private readonly registry: ProviderRegistry,
    private readonly connections: ConnectionService,
    private readonly inventory: InventoryStore,
    private readonly tasks: TaskManager,
  ) {}

  async createOptions(serverId: string): Promise<CreateOptions> {
    const options = await this.guestsOf(serverId).createOptions();
    return { serverId, ...options };
  }

  create(serverId: string, spec: GuestCreateSpec): TaskInfo {
    const guests = this.guestsOf(serverId);
    const untaken = spec.cloudInit && untakenCustomizationField(spec.cloudInit, this.guestsFacetOf(serverId));
    if (untaken) throw invalid(`This platform's guest customization takes no ${untaken}.`, `cloudInit.${untaken}`);
    const { hostId, ...rest } = spec;
    const hostRef = hostId === undefined ? undefined : this.hostOf(serverId, hostId).nativeRef;
    const target = { serverId, targetId: nodeId(serverId, 'server', serverId), targetName: spec.name, action: 'create' };
    return this.tasks.start(target, (reporter) => guests.create({ ...rest, ...(hostRef ? { hostRef } : {}) }, reporter));
  }

  async properties(id: string): Promise<GuestProperties> {
    const node = this.guest(id);
    const answer = await this.guestsOf(node.serverId).properties(refOf(node));
    return { nodeId: id, ...answer };
  }

  configure(ids: string[], changes: GuestChanges): TaskInfo[] {
    if (ids.length > 1 && changes.name !== undefined) throw invalid('Several items cannot take one name: rename them one at a time.', 'name');
    const plans = ids.map((id) => {
      const node = this.guest(id);
      return { node, guests: this.guestsOf(node.serverId) };
    });
    return plans.map(({ node, guests }) =>
      this.tasks.start({ serverId: node.serverId, targetId: node.id, targetName: node.name, action: 'configure' }, (reporter) =>
        guests.configure(refOf(node), changes, reporter),
      ),
    );
  }

  async deletePlan(ids: string[]): Promise<DeletePlan> {
    const nodes = ids.map((id) => this.guest(id));
    const items = await Promise.all(
      nodes.map(async (node) => ({
        nodeId: node.id,
        name: node.name,
        // what a delete must force: a guest that runs in any way (Docker's unhealthy container runs too)
        running: node.state === 'running' || node.state === 'paused' || node.state === 'unhealthy',
        ...(await this.guestsOf(node.serverId).deletePlan(refOf(node))),
      })),
    );
    const canKeepDisks = nodes.every((n) => this.facetOf(n.serverId)?.keepDisks !== false);
    return { items, canKeepDisks };
  }

  pullImage(serverId: string, reference: string): TaskInfo {
    const images = this.imagesOf(serverId);
    return this.tasks.start(this.serverTask(serverId, reference, 'image_pull'), (reporter) => images.pull(reference, reporter));
  }

  pruneImages(serverId: string): TaskInfo {
    const images = this.imagesOf(serverId);
    return this.tasks.start(this.serverTask(serverId, this.serverName(serverId), 'image_prune'), (reporter) => images.pruneImages(reporter));
  }

  pruneVolumes(serverId: string): TaskInfo {
    const images = this.imagesOf(serverId);
    return this.tasks.start(this.serverTask(serverId, this.serverName(serverId), 'volume_prune'), (reporter) => images.pruneVolumes(reporter));
  }

  private serverTask(serverId: string, targetName: string, action: string) {
    return { serverId, targetId: nodeId(serverId, 'server', serverId), targetName, action };
  }

  private facetOf(serverId: string): { keepDisks?: boolean } | undefined {
    const facet = this.guestsFacetOf(serverId);
    return facet ? { keepDisks: facet.keepDisks } : undefined;
  }

  private guestsFacetOf(serverId: string) {
    return this.registry.get(this.servers.require(serverId).type)?.descriptor.facets.guests;
  }

  private guestsOf(serverId: string): ProviderGuests {
    const provider = this.provider(serverId);
    if (!provider.guests) throw unsupported(`${this.serverName(serverId)} cannot make or change VMs here.`);
    return provider.guests;
  }

  private imagesOf(serverId: string): ProviderImages {
    const provider = this.provider(serverId);
    if (!provider.images) throw unsupported(`${this.serverName(serverId)} has no container images.`);
    return provider.images;
  }

  private provider(serverId: string): Provider {
    const provider = this.connections.liveProvider(serverId);
    if (!provider) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${this.serverName(serverId)} is not connected.` });
    return provider;
  }

  private hostOf(serverId: string, hostId: string): InventoryNode {
    const host = this.inventory.get(hostId);
    if (!host || host.kind !== 'host' || host.serverId !== serverId) throw invalid(`${JSON.stringify(hostId)} is not a host of ${this.serverName(serverId)}.`, 'hostId');
    return host;
  }

  private guest(id: string): InventoryNode {
    const node = this.inventory.get(id);
    if (!node) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No inventory item with id ${JSON.stringify(id)}.` });
    if (!GUEST_KINDS.has(node.kind)) throw invalid(`${node.name} is a ${node.kind}, not a VM, container or template.`, 'nodeIds');
    return node;
  }

  private serverName(serverId: string): string {
    return this.servers.get(serverId)?.name ?? 'The server';
  }
}

function refOf(node: InventoryNode): { nativeRef: string; kind: string } {
  return { nativeRef: node.nativeRef, kind: node.kind };
}

function invalid(message: string, field: string): PolyvisorError {
  return new PolyvisorError({ code: 'INVALID_INPUT', message, field });
}

function unsupported(message: string): PolyvisorError {
  return new PolyvisorError({ code: 'UNSUPPORTED', message });
}
