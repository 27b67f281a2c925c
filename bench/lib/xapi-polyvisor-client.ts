// Polyvisor's side of the XAPI bench, run as the app runs it: from an esbuild bundle of
// the provider with the parse worker's bundle beside it (bundleXapiClient), in plain Node
// with no TypeScript loader. Its modules are loaded before the clock starts (as in the app,
// where they load at start, not per connect); the parse workers start on the clock, at the
// first large answer, as they do in the app.
//
//   node --expose-gc <dir>/polyvisor-client.mjs --url https://host:port   (BENCH_CA_PEM: the CA)
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import { cpuMsSince, heapAfterGc, mb, MINUTE, peakRssMb, report, within, type Measurement } from './xapi-measure';

export async function measurePolyvisor(url: URL, caPem: string): Promise<Measurement> {
  const provider = xenServerProviderFactory.create({
    serverId: 'bench',
    host: url.hostname,
    port: Number(url.port),
    username: 'root',
    password: 'password',
    tls: { extraCa: [caPem] },
    options: {},
  });
  let objects = 0;
  provider.on('inventory', (delta) => (objects += delta.upsert.length));
  const started = performance.now();
  const cpu = process.cpuUsage();
  await within(10 * MINUTE, 'Polyvisor to connect and load the whole inventory', provider.connect());
  const ms = performance.now() - started;
  const cpuMs = cpuMsSince(cpu);
  const heap = await heapAfterGc();
  await within(MINUTE, 'Polyvisor to disconnect', provider.disconnect());
  return { ms, cpuMs, objects, peakRssMb: peakRssMb(), heapAfterMb: mb(heap) };
}

const urlAt = process.argv.indexOf('--url');
if (process.argv.includes('--polyvisor-client') && urlAt > 0) {
  report(await measurePolyvisor(new URL(process.argv[urlAt + 1]!), process.env.BENCH_CA_PEM ?? ''));
  process.exit(0);
}
