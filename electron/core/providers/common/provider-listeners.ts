// The provider events (inventory deltas, connection state, server policies) and who listens to them.

import type { ErrorInfo } from '../../../../shared/errors';
import type { ConnectionState, InventoryDelta } from '../../../../shared/model';
import type { ProviderEvents, ServerPolicy } from '../provider';

export class ProviderListeners {
  private readonly sets: { [E in keyof ProviderEvents]: Set<ProviderEvents[E]> } = { inventory: new Set(), state: new Set(), policies: new Set() };

  on<E extends keyof ProviderEvents>(event: E, listener: ProviderEvents[E]): () => void {
    const set = this.sets[event] as Set<ProviderEvents[E]>;
    set.add(listener);
    return () => set.delete(listener);
  }

  inventory(delta: InventoryDelta): void {
    for (const listener of this.sets.inventory) listener(delta);
  }

  state(state: ConnectionState, error?: ErrorInfo): void {
    for (const listener of this.sets.state) listener(state, error);
  }

  policies(policies: ServerPolicy[]): void {
    for (const listener of this.sets.policies) listener(policies);
  }
}
