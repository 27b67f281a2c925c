// `npm run web`: the core with the OS keychain and the user's profile, served to
// a browser on 127.0.0.1. Prints the URL; opens nothing. POLYVISOR_CORE_PROCESS=1
// (or --core-process) runs the core in a process of its own (web-core.ts).

import { resolveHome } from '../core/profile';
import { startWebCore } from './web-core';
import { runWebMode } from './web-mode';

const home = resolveHome();
const { core, allowConsoleOrigin, split } = await startWebCore(home);
const { keychain } = await core.invoke('app:info');
console.log(`  Profile: ${home}${split ? ' (the core runs in a process of its own)' : ''}`);
if (!keychain.available) console.log(`  Note: the OS keychain is not available, so passwords will not be remembered: ${keychain.message ?? ''}`);
const host = await runWebMode({
  core,
  port: process.env.POLYVISOR_PORT ? Number(process.env.POLYVISOR_PORT) : 0,
  onShutdown: () => core.stop(),
});
await allowConsoleOrigin(new URL(host.url).origin);
// reconnect saved servers after the address is printed: the page shows them connecting
void core.start();
