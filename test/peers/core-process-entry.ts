// The core process for tests: the production one (electron/core/host/serve-core.ts)
// with an in-memory secret store when the host asks for one (testKeychain); without
// it, the OS keychain of the environment the test gave the process.
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { parentChannel } from '../../electron/core/host/parent-channel';
import { serveCore } from '../../electron/core/host/serve-core';

serveCore(parentChannel(), (init) => (init.testKeychain ? { secrets: new MemorySecretStore(init.testKeychain) } : {}));
