// Follows the engine's event stream (`GET /events`): one JSON object a line. It tells
// the caller which containers to look at again and when snapshot images may have
// changed. A line that is not an event is skipped (and said in the log); a line longer
// than maxEventLineBytes ends the stream with RESPONSE_TOO_LARGE. The stream ending or
// failing means the engine went away.

import type Dockerode from 'dockerode';
import type { Readable } from 'node:stream';
import { LineSplitter } from '../common/limits';

export type EngineEvent =
  | { kind: 'container'; id: string; action: string }
  | { kind: 'images' }
  | { kind: 'volumes' }
  | { kind: 'networks' }
  | { kind: 'ignored' }
  | { kind: 'malformed'; reason: string };

export interface EventHandlers {
  event(ev: Exclude<EngineEvent, { kind: 'ignored' }>): void;
  /** the stream ended (engine stopped) or failed; called once */
  closed(error?: Error): void;
  /** every line as the engine sent it (the Notifications view reads alerts and events from it) */
  observeNotifications?(line: string): void;
}

const CONTAINER_ACTIONS = new Set([
  'create', 'start', 'restart', 'stop', 'die', 'kill', 'pause', 'unpause', 'destroy', 'rename', 'update', 'oom', 'health_status',
]);
const IMAGE_ACTIONS = new Set(['tag', 'untag', 'delete', 'import', 'load', 'pull', 'prune']);
// mount and unmount follow containers starting and stopping: the containers' own events say that
const VOLUME_ACTIONS = new Set(['create', 'destroy', 'prune']);
// a network made or removed, a container joining or leaving one (issue 16)
const NETWORK_ACTIONS = new Set(['create', 'destroy', 'remove', 'prune', 'connect', 'disconnect']);

/** One line of the event stream; never throws. */
export function parseEventLine(line: string): EngineEvent {
  const text = line.trim();
  if (!text) return { kind: 'ignored' };
  let ev: unknown;
  try {
    ev = JSON.parse(text);
  } catch (err) {
    return { kind: 'malformed', reason: (err as Error).message };
  }
  if (typeof ev !== 'object' || ev === null || Array.isArray(ev)) return { kind: 'malformed', reason: 'not an object' };
  const { Type, Action, id, Actor } = ev as Record<string, unknown>;
  if (typeof Type !== 'string' || typeof Action !== 'string') return { kind: 'malformed', reason: 'no Type or Action' };
  // e.g. "health_status: unhealthy", "exec_start: sh"
  const action = Action.split(':')[0];
  if (Type === 'container' && action === 'commit') return { kind: 'images' };
  if (Type === 'image' && IMAGE_ACTIONS.has(action)) return { kind: 'images' };
  if (Type === 'volume' && VOLUME_ACTIONS.has(action)) return { kind: 'volumes' };
  if (Type === 'network' && NETWORK_ACTIONS.has(action)) return { kind: 'networks' };
  if (Type !== 'container' || !CONTAINER_ACTIONS.has(action)) return { kind: 'ignored' };
  const actorId = typeof Actor === 'object' && Actor !== null ? (Actor as Record<string, unknown>).ID : undefined;
  const containerId = typeof actorId === 'string' && actorId ? actorId : typeof id === 'string' && id ? id : null;
  return containerId ? { kind: 'container', id: containerId, action } : { kind: 'malformed', reason: 'a container event without an id' };
}

export interface EventWatch {
  stop(): void;
}

/**
 * Starts following. `sinceSeconds` (the engine's own clock) replays what happened from
 * then: the engine answers before it subscribes, and events in between would be lost.
 */
export async function watchEvents(
  docker: Dockerode,
  opts: { sinceSeconds?: number; maxLineBytes: number; where: string },
  handlers: EventHandlers,
): Promise<EventWatch> {
  const stream = (await docker.getEvents({
    ...(opts.sinceSeconds !== undefined ? { since: opts.sinceSeconds } : {}),
    filters: { type: ['container', 'image', 'volume', 'network'] },
  })) as unknown as Readable;
  const lines = new LineSplitter(`The Docker engine at ${opts.where} (event stream)`, opts.maxLineBytes);
  let done = false;
  const finish = (err?: Error) => {
    if (done) return;
    done = true;
    stream.destroy();
    handlers.closed(err);
  };
  const deliver = (line: string) => {
    if (line.trim()) handlers.observeNotifications?.(line);
    const ev = parseEventLine(line);
    if (ev.kind !== 'ignored') handlers.event(ev);
  };
  stream.on('data', (chunk: Buffer) => {
    if (done) return;
    try {
      for (const line of lines.push(chunk)) deliver(line);
    } catch (err) {
      finish(err as Error); // an endless line: RESPONSE_TOO_LARGE
    }
  });
  stream.on('end', () => {
    if (!done) deliver(lines.rest());
    finish();
  });
  stream.on('close', () => finish());
  stream.on('error', (err) => finish(err));
  return {
    stop() {
      done = true;
      stream.destroy();
    },
  };
}
