// The text of a core event for the pages, made across turns of the event loop when it is
// large: an inventory delta's nodes are encoded one by one, and after TURN_MS of that the
// loop is let go (setImmediate) before the next ones. One JSON.stringify of a delta whose
// nodes carry large properties (200 snapshots with a 600 kB description each: 120 MB) held
// the core's loop for seconds, and so did handing the 120 MB string to the socket (issue 17).
// The result is the same text JSON.stringify({ type: 'event', event, payload }) makes, as UTF-8.

import type { ServerMessage } from '../../shared/wire';

/** longest stretch of encoding in one turn */
const TURN_MS = 8;
/** stands for the nodes in the text of the rest of the message */
const NODES_MARK = '\u0000polyvisor-nodes\u0000';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The text at once when it took less than a turn to make (the usual case), otherwise a promise of it. */
export function eventText(event: string, payload: unknown): Buffer | Promise<Buffer> {
  const nodes = nodesOf(payload);
  if (!nodes) return Buffer.from(JSON.stringify({ type: 'event', event, payload } as ServerMessage));
  const frame = JSON.stringify({ type: 'event', event, payload: { ...(payload as object), upsert: NODES_MARK } });
  const mark = JSON.stringify(NODES_MARK);
  const at = frame.indexOf(mark);
  const pieces: Buffer[] = [Buffer.from(`${frame.slice(0, at)}[`)];
  const end = () => {
    pieces.push(Buffer.from(`]${frame.slice(at + mark.length)}`));
    return Buffer.concat(pieces);
  };
  const deadline = performance.now() + TURN_MS;
  for (let i = 0; i < nodes.length; i++) {
    pieces.push(Buffer.from((i ? ',' : '') + JSON.stringify(nodes[i])));
    if (performance.now() >= deadline && i + 1 < nodes.length) return encodeRest(nodes, i + 1, pieces).then(end);
  }
  return end();
}

async function encodeRest(nodes: unknown[], from: number, pieces: Buffer[]): Promise<void> {
  for (let i = from; i < nodes.length; ) {
    await nextTurn();
    const deadline = performance.now() + TURN_MS;
    do pieces.push(Buffer.from(`,${JSON.stringify(nodes[i++])}`));
    while (i < nodes.length && performance.now() < deadline);
  }
}

/** An inventory delta's upserted nodes (the one list that runs to an inventory's size). */
function nodesOf(payload: unknown): unknown[] | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const upsert = (payload as { upsert?: unknown }).upsert;
  return Array.isArray(upsert) ? upsert : undefined;
}
