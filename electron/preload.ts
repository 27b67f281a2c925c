// Exposes window.polyvisor (the typed contract client) to the sandboxed renderer.
// Only `invoke` and `on` cross the bridge; ipcRenderer itself never does.
// A failed call rejects with the ErrorInfo object (code, message, serverCode, …):
// the context bridge would strip the fields of an Error instance.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENTS, type Channel, type EventName, type PolyvisorClient, type Reply } from '../shared/contract';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './ipc';

type Listener = (payload: unknown) => void;
const listeners = new Map<EventName, Set<Listener>>();

// one IPC listener for all events, however many subscribers the page has
ipcRenderer.on(EVENT_CHANNEL, (_e: IpcRendererEvent, name: EventName, payload: unknown) => {
  for (const listener of listeners.get(name) ?? []) listener(payload);
});

const client = {
  async invoke(channel: Channel, ...args: unknown[]) {
    const reply = (await ipcRenderer.invoke(INVOKE_CHANNEL, channel, args)) as Reply<unknown>;
    if (reply.ok) return reply.value;
    throw reply.error;
  },
  on(event: EventName, listener: Listener) {
    if (!EVENTS.includes(event)) throw new TypeError(`Unknown event ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function');
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  },
} as PolyvisorClient;

contextBridge.exposeInMainWorld('polyvisor', client);
