// `npm run web`: the core with the OS keychain and the user's profile, served to
// a browser on 127.0.0.1. Prints the URL; opens nothing.

import { createAppCore } from '../core/app-core';
import { resolveHome } from '../core/profile';
import { BridgeConsoleBroker } from '../core/console/broker';
import { runWebMode } from './web-mode';

const home = resolveHome();
const consoles = new BridgeConsoleBroker();
const core = await createAppCore('web', { home, console: consoles });
const { keychain } = await core.invoke('app:info');
console.log(`  Profile: ${home}`);
if (!keychain.available) console.log(`  Note: the OS keychain is not available, so passwords will not be remembered: ${keychain.message ?? ''}`);
const host = await runWebMode({
  core,
  port: process.env.POLYVISOR_PORT ? Number(process.env.POLYVISOR_PORT) : 0,
  onShutdown: () => core.stop(),
});
consoles.allowOrigin(new URL(host.url).origin);
// reconnect saved servers after the address is printed: the page shows them connecting
void core.start();
