// What a consumer of a provider's events holds: the tree applied from its deltas,
// and the connection states it went through. Shared by the providers' integration tests.

import type { ErrorInfo } from '../../shared/errors';
import type { ConnectionState, InventoryNode } from '../../shared/model';
import type { Provider } from '../../electron/core/providers/provider';

export class ProviderMirror {
  readonly nodes = new Map<string, InventoryNode>();
  readonly states: Array<{ state: ConnectionState; error?: ErrorInfo }> = [];
  resets = 0;
  deltas = 0;

  constructor(provider: Pick<Provider, 'on'>) {
    provider.on('inventory', (d) => {
      this.deltas++;
      if (d.reset) {
        this.resets++;
        this.nodes.clear();
      }
      for (const id of d.remove) this.nodes.delete(id);
      for (const n of d.upsert) this.nodes.set(n.id, n);
    });
    provider.on('state', (state, error) => this.states.push({ state, error }));
  }

  byName(kind: InventoryNode['kind'], name: string): InventoryNode | undefined {
    return [...this.nodes.values()].find((n) => n.kind === kind && n.name === name);
  }

  ofKind(kind: InventoryNode['kind']): InventoryNode[] {
    return [...this.nodes.values()].filter((n) => n.kind === kind);
  }
}

type Falsy = undefined | null | false;

/** Polls `probe` until it gives a truthy value. */
export async function waitFor<T>(probe: () => T | Falsy | Promise<T | Falsy>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
