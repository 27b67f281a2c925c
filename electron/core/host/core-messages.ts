// What a host and its core process say to each other (issue 17: the core — providers,
// their I/O and parsing — runs in a process of its own, so the host's event loop, which
// draws the window's menus and serves the page, never waits on it). Plain data only:
// errors travel as the contract's ErrorInfo, so the page sees the very codes and
// messages the core gave. One small transport, two adapters: Node's child_process.fork
// (web mode, tests) and Electron's utilityProcess (electron/main-core-process.ts).

import type { Channel, EventMap, EventName, Reply } from '../../../shared/contract';
import type { ErrorInfo } from '../../../shared/errors';
import type { AppMode } from '../app-core';

/** What the core process is built with (only data: the host's callbacks go as messages). */
export interface CoreProcessInit {
  mode: AppMode;
  home?: string;
  version?: string;
  /** channels the host answers itself (Electron: menu:update); the core process asks the host */
  hostChannels: Channel[];
  /** the host opens viewer links (Electron's shell); without it the page gets the link */
  hostOpensLinks: boolean;
  /** page origins the console bridge accepts (Electron: app://polyvisor; web mode adds its own once it listens) */
  consoleOrigins: string[];
  /** read only by the test entry (test/peers/core-process-entry.ts): an in-memory secret store with this status */
  testKeychain?: { available: boolean; message?: string };
}

/** Calls the core process answers (one reply each, by id). */
export type CoreMethod = 'dispatch' | 'start' | 'stop' | 'waitForTask' | 'runDueSchedules' | 'allowConsoleOrigin' | 'ping';

/** Calls the host answers for the core process. */
export type HostCall =
  | { name: 'channel'; channel: Channel; args: unknown[] }
  | { name: 'links.handles'; scheme: string }
  | { name: 'links.open'; link: string };

export type ToCore =
  | { type: 'init'; init: CoreProcessInit }
  | { type: 'call'; id: number; method: CoreMethod; args: unknown[] }
  | { type: 'host-reply'; id: number; reply: Reply<unknown> };

export type FromCore =
  | { type: 'ready'; home: string }
  | { type: 'init-failed'; error: ErrorInfo }
  | { type: 'reply'; id: number; reply: Reply<unknown> }
  | { [E in EventName]: { type: 'event'; event: E; payload: EventMap[E] } }[EventName]
  | { type: 'host-call'; id: number; call: HostCall };

/** The host's end of one core process. */
export interface CoreTransport {
  send(message: ToCore): void;
  onMessage(listener: (message: FromCore) => void): void;
  /** once, when the process has gone (exit code, or the signal that ended it) */
  onExit(listener: (how: string) => void): void;
  /** ends the process at once (a stuck or dying core) */
  kill(): void;
  readonly pid: number | undefined;
}

/** Starts a new core process (again after one died). */
export type CoreLauncher = () => CoreTransport;

/** The core process's end: the parent it answers. */
export interface ParentChannel {
  send(message: FromCore): void;
  onMessage(listener: (message: ToCore) => void): void;
  /** the host went away: the core stops */
  onGone(listener: () => void): void;
}
