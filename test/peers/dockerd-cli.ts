// `npx tsx test/peers/dockerd-cli.ts [--experimental]`: start a private real dockerd
// (with local/busybox imported) for manual use or demos; Ctrl-C stops and cleans it up.
import { ensureBusyboxImage, startDockerd } from './dockerd';

const peer = await startDockerd({ experimental: process.argv.includes('--experimental') });
await ensureBusyboxImage(peer.docker);
const info = await peer.docker.info();
console.log(`dockerd ${info.ServerVersion} (storage driver ${info.Driver}) ready in ${peer.startMs} ms`);
console.log(`socket: ${peer.socketPath}`);
console.log(`try:    DOCKER_HOST=unix://${peer.socketPath} docker run -d --network none local/busybox sleep 1000`);
console.log('Ctrl-C to stop');

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await peer.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
setInterval(() => undefined, 1 << 30);
