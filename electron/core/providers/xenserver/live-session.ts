// One logged-in XAPI session as the shared connection loop sees it: follow()
// long-polls event.from from the token taken with the initial load and turns each
// batch into a delta; close() logs out, or only drops the sockets of a session
// whose stream already failed.

import { isPolyvisorError, PolyvisorError } from '../../../../shared/errors';
import type { InventoryDelta } from '../../../../shared/model';
import type { LiveSession } from '../common/live-connection';
import { waitForEvents } from './events';
import type { InventoryTracker } from './inventory';
import type { XapiEvent } from './records';
import type { XapiSession } from './session';

export interface FollowContext {
  tracker: InventoryTracker;
  eventTimeoutS: number;
  publish(delta: InventoryDelta): void;
  /** each batch of events, whole (the Notifications view reads messages and tasks from it) */
  observe?(events: XapiEvent[]): void;
  /** after each answer of the event stream (changes or its timeout): the provider's own follow-ups */
  afterWait?(session: XapiSession): Promise<void>;
  /** the session is gone (closed or failed): actions must not use it any more */
  released(session: XapiSession): void;
}

/**
 * An event batch over the buffered limit is not the server misbehaving: after a mass
 * change (every VM at once) it is the honest answer. Reloading (streamed) is the cure,
 * so the connection loop reconnects instead of stopping.
 */
const reloadInstead = new WeakSet<object>();

export function calledForReload(err: unknown): boolean {
  return typeof err === 'object' && err !== null && reloadInstead.has(err);
}

export class XapiLiveSession implements LiveSession {
  private failed = false;

  constructor(
    readonly session: XapiSession,
    private token: string,
    private readonly classes: string[],
    private readonly ctx: FollowContext,
  ) {}

  async follow(signal: AbortSignal): Promise<void> {
    try {
      while (!signal.aborted) {
        const batch = await waitForEvents(this.session, this.classes, this.token, this.ctx.eventTimeoutS, signal);
        this.token = batch.token;
        const delta = batch.events.length ? this.ctx.tracker.applyEvents(batch.events) : null;
        if (delta) this.ctx.publish(delta);
        if (batch.events.length) this.ctx.observe?.(batch.events);
        await this.ctx.afterWait?.(this.session);
      }
    } catch (err) {
      if (signal.aborted) return;
      this.failed = true;
      throw isPolyvisorError(err, 'RESPONSE_TOO_LARGE') ? reloadFor(err) : err;
    }
  }

  async close(): Promise<void> {
    this.ctx.released(this.session);
    if (this.failed) this.session.abort();
    else await this.session.close();
  }
}

/** The same error, marked so that the connection loop reloads instead of stopping. */
function reloadFor(err: PolyvisorError): PolyvisorError {
  const marked = new PolyvisorError({ ...err.info, message: `${err.message} The event batch was too large: Polyvisor reloads the inventory instead.` });
  reloadInstead.add(marked);
  return marked;
}
