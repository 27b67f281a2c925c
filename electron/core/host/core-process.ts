// Entry of the core process (bundled as dist-electron/core-process.js beside main.js):
// the core with the OS keychain, served to the host that started it.
import { parentChannel } from './parent-channel';
import { serveCore } from './serve-core';

serveCore(parentChannel());
