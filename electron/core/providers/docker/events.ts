// Follows the engine's event stream (`GET /events`) and tells the caller which
// containers to look at again and when snapshot images may have changed.
// The stream ending or failing means the engine went away.

import type Dockerode from 'dockerode';
import type { Readable } from 'node:stream';

export interface EngineEvent {
  Type?: string;
  Action?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

export interface EventHandlers {
  container(id: string, action: string): void;
  image(action: string): void;
  /** the stream ended (engine stopped) or failed */
  closed(error?: Error): void;
}

const CONTAINER_ACTIONS = new Set([
  'create', 'start', 'restart', 'stop', 'die', 'kill', 'pause', 'unpause', 'destroy', 'rename', 'update', 'oom', 'health_status',
]);
const IMAGE_ACTIONS = new Set(['tag', 'untag', 'delete', 'import', 'load', 'pull']);

export interface EventWatch {
  stop(): void;
}

export async function watchEvents(docker: Dockerode, handlers: EventHandlers): Promise<EventWatch> {
  const stream = (await docker.getEvents({
    filters: { type: ['container', 'image'] },
  })) as unknown as Readable;
  let stopped = false;
  let buffer = '';
  let closedOnce = false;
  const closed = (err?: Error) => {
    if (stopped || closedOnce) return;
    closedOnce = true;
    handlers.closed(err);
  };
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line) dispatch(line, handlers);
    }
  });
  stream.on('end', () => closed());
  stream.on('close', () => closed());
  stream.on('error', (err) => closed(err));
  return {
    stop() {
      stopped = true;
      stream.destroy();
    },
  };
}

function dispatch(line: string, handlers: EventHandlers): void {
  let ev: EngineEvent;
  try {
    ev = JSON.parse(line) as EngineEvent;
  } catch {
    return;
  }
  // e.g. "health_status: unhealthy", "exec_start: sh"
  const action = (ev.Action ?? '').split(':')[0];
  if (ev.Type === 'container' && action === 'commit') {
    handlers.image(action);
  } else if (ev.Type === 'container' && CONTAINER_ACTIONS.has(action)) {
    const id = ev.Actor?.ID ?? ev.id;
    if (id) handlers.container(id, action);
  } else if (ev.Type === 'image' && IMAGE_ACTIONS.has(action)) {
    handlers.image(action);
  }
}
