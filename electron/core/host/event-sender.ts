// The core process's events to its host, a large inventory delta in pieces: the transport
// copies each message in one turn of the event loop (structured clone over the IPC channel or
// the utility process's port), and a pool's first load of 10,000 VMs is one delta of tens of
// MB. Such a delta goes as consecutive deltas of at most PIECE_NODES entries, one per turn
// (the first carries the reset and the removals), and the events after it wait their turn:
// applied in order, the pieces leave the host where the whole delta would (issue 17).

import type { EventMap, EventName } from '../../../shared/contract';
import type { InventoryDelta } from '../../../shared/model';

/** nodes (upserts and removals) in one message */
export const PIECE_NODES = 2_000;

type Message = { event: EventName; payload: unknown };

/** The delta as consecutive deltas of at most `most` entries; the whole delta when it is small. */
export function deltaPieces(delta: InventoryDelta, most = PIECE_NODES): InventoryDelta[] {
  if (delta.upsert.length + delta.remove.length <= most) return [delta];
  const pieces: InventoryDelta[] = [];
  for (let i = 0; i < delta.remove.length; i += most) pieces.push({ serverId: delta.serverId, upsert: [], remove: delta.remove.slice(i, i + most) });
  const last = pieces[pieces.length - 1];
  let from = 0;
  if (last && last.remove.length < most) {
    from = most - last.remove.length;
    last.upsert = delta.upsert.slice(0, from);
  }
  for (let i = from; i < delta.upsert.length; i += most) pieces.push({ serverId: delta.serverId, upsert: delta.upsert.slice(i, i + most), remove: [] });
  if (delta.reset) pieces[0]!.reset = true;
  return pieces;
}

export class EventSender {
  private readonly queue: Message[] = [];
  private draining = false;

  constructor(private readonly send: (event: EventName, payload: unknown) => void) {}

  push<E extends EventName>(event: E, payload: EventMap[E]): void {
    const pieces = event === 'inventory:delta' ? deltaPieces(payload as InventoryDelta) : null;
    if (!this.queue.length && !this.draining && (!pieces || pieces.length === 1)) {
      this.send(event, payload);
      return;
    }
    if (pieces) for (const piece of pieces) this.queue.push({ event, payload: piece });
    else this.queue.push({ event, payload });
    this.drain();
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    setImmediate(() => {
      this.draining = false;
      const next = this.queue.shift();
      if (!next) return;
      this.send(next.event, next.payload);
      if (this.queue.length) this.drain();
    });
  }
}
