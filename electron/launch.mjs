// `npm start`: the desktop app when an Electron binary is installed, otherwise
// web mode (the same core and renderer, served to a browser on 127.0.0.1).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electron = findElectronBinary();

let child;
if (electron.found) {
  child = spawn(electron.path, [path.join(root, 'dist-electron', 'main.js'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
} else {
  console.log(`No Electron binary is installed (it cannot be downloaded on this machine) — starting web mode instead.`);
  console.log(`  (${electron.reason})`);
  child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'electron', 'web', 'serve.ts')], { stdio: 'inherit', cwd: root });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
