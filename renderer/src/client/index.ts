// Picks the transport: the Electron preload's window.polyvisor, or the web-mode WebSocket.
import type { PolyvisorClient } from '../../../shared/contract';
import { WebClient, apiUrl, type LinkState } from './web-client';
import { takeWebToken } from './web-token';

declare global {
  interface Window {
    polyvisor?: PolyvisorClient;
  }
}

export interface ClientHandle {
  client: PolyvisorClient;
  /** web mode only: the socket state, so the UI can show "reconnecting" and reload after a drop */
  onLink?: (listener: (state: LinkState, reopened: boolean) => void) => () => void;
}

let handle: ClientHandle | null = null;

export function getClient(): ClientHandle {
  if (handle) return handle;
  if (window.polyvisor) {
    handle = { client: window.polyvisor };
  } else {
    const token = takeWebToken({ location: window.location, history: window.history, storage: window.sessionStorage });
    const web = new WebClient({ url: apiUrl(window.location, token) });
    handle = { client: web, onLink: (l) => web.onLink(l) };
  }
  return handle;
}

export type { LinkState };
