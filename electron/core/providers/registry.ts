// Which hypervisor types this app can talk to, by type.

import type { HypervisorType } from '../../../shared/model';
import { PolyvisorError } from '../../../shared/errors';
import type { ProviderFactory } from './provider';

export class ProviderRegistry {
  private readonly factories = new Map<HypervisorType, ProviderFactory>();

  constructor(factories: readonly ProviderFactory[] = []) {
    for (const f of factories) this.register(f);
  }

  /** A later registration of the same type replaces the earlier one (tests inject their own). */
  register(factory: ProviderFactory): void {
    this.factories.set(factory.descriptor.type, factory);
  }

  get(type: HypervisorType): ProviderFactory | undefined {
    return this.factories.get(type);
  }

  require(type: HypervisorType): ProviderFactory {
    const f = this.factories.get(type);
    if (!f) throw new PolyvisorError({ code: 'UNSUPPORTED', message: `This build of Polyvisor cannot connect to ${type} servers.` });
    return f;
  }

  list(): ProviderFactory[] {
    return [...this.factories.values()];
  }

  types(): string[] {
    return [...this.factories.keys()];
  }
}
