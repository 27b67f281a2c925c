// Web mode: the contract over one WebSocket.
// The page is served at  http://127.0.0.1:PORT/?token=TOKEN
// and opens            ws://127.0.0.1:PORT/api?token=TOKEN
// The host refuses a missing/wrong token and any Origin other than its own.

import type { Channel, EventMap, EventName, Reply } from './contract';

export type ClientMessage = { type: 'invoke'; id: number; channel: Channel; args: unknown[] };

export type ServerMessage =
  | { type: 'reply'; id: number; reply: Reply<unknown> }
  | { [E in EventName]: { type: 'event'; event: E; payload: EventMap[E] } }[EventName];

export const WEB_API_PATH = '/api';
export const WEB_TOKEN_PARAM = 'token';
