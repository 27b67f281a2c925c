// The core process's end of the transport, whichever host started it: Electron's
// utilityProcess (process.parentPort, messages as {data}) or Node's child_process.fork
// (process.send over the IPC channel).

import type { FromCore, ParentChannel, ToCore } from './core-messages';

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export function parentChannel(): ParentChannel {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      send: (m: FromCore) => electronPort.postMessage(m),
      onMessage: (listener) => electronPort.on('message', (e) => listener(e.data as ToCore)),
      // Electron ends a utility process with its app; nothing to watch
      onGone: () => undefined,
    };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('The core process must be started by a host (child_process.fork or Electron utilityProcess).');
  return {
    send: (m: FromCore) => {
      if (process.connected) send(m);
    },
    onMessage: (listener) => process.on('message', (m) => listener(m as ToCore)),
    onGone: (listener) => process.once('disconnect', listener),
  };
}
