// The core's events (contract.ts EventMap): one typed emitter. A listener that
// throws is reported and never stops the others. With POLYVISOR_CHECK_CONTRACT=1
// (the test suite) every payload is checked against its schema as it leaves.

import type { EventMap, EventName } from '../../shared/contract';
import { EVENT_PAYLOADS } from '../../shared/contract-schemas';
import { toErrorInfo } from '../../shared/errors';
import type { ProviderConfig } from './providers/provider';

type Listener<E extends EventName> = (payload: EventMap[E]) => void;

export class CoreEvents {
  private readonly listeners = new Map<EventName, Set<Listener<EventName>>>();
  private readonly check = process.env.POLYVISOR_CHECK_CONTRACT === '1';

  constructor(private readonly log?: ProviderConfig['log']) {}

  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<EventName>);
    return () => set.delete(listener as Listener<EventName>);
  }

  emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    if (this.check) {
      const result = EVENT_PAYLOADS[event].safeParse(payload);
      if (!result.success) throw new Error(`The ${event} payload does not match its schema: ${result.error.message}`);
    }
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as Listener<E>)(payload);
      } catch (e) {
        this.log?.('error', `A ${event} listener failed: ${toErrorInfo(e).message}`);
      }
    }
  }
}
