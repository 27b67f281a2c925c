// npm run sim:xapi -- --db FILE --port N [--host ADDR] [--tls|--no-tls] [--user U --password P]
//                     [--generate hosts=H,vms=V,snapshots=S[,localStorage=true,allRunning=true,isoLibrary=true,localDiskVms=N,localCdVms=N,hostMemoryGiB=G,vmNotesBytes=B]] [--slave-of MASTER] [--pool-name NAME] [--no-jsonrpc]
//                     [--time-zone IANA]   (the master's zone: snapshot schedules run in it)
//                     [--member-hosts]     (each member host serves its own performance data at 127.0.0.2, …)
// Prints the URL and the certificate fingerprint, then serves until killed.
import { parseArgs } from 'node:util';
import { startXapiSimulator, type XapiSimOptions } from './index';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    generate: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    tls: { type: 'boolean' },
    'no-tls': { type: 'boolean' },
    user: { type: 'string' },
    password: { type: 'string' },
    'task-duration': { type: 'string' },
    'slave-of': { type: 'string' },
    'pool-name': { type: 'string' },
    'no-jsonrpc': { type: 'boolean' },
    'time-zone': { type: 'string' },
    'member-hosts': { type: 'boolean' },
  },
  strict: true,
});

const GENERATE_NUMBERS = ['hosts', 'vms', 'snapshots', 'localDiskVms', 'localCdVms', 'hostMemoryGiB', 'vmNotesBytes'] as const;

function parseGenerate(spec: string): XapiSimOptions['generate'] {
  const out: NonNullable<XapiSimOptions['generate']> = { hosts: 1, vms: 10, snapshots: 0 };
  for (const part of spec.split(',')) {
    const [k = '', v = ''] = part.split('=');
    if ((k === 'localStorage' || k === 'allRunning' || k === 'isoLibrary') && (v === 'true' || v === 'false')) out[k] = v === 'true';
    else if ((GENERATE_NUMBERS as readonly string[]).includes(k) && /^\d+$/.test(v)) out[k as (typeof GENERATE_NUMBERS)[number]] = Number(v);
    else throw new Error(`bad --generate part "${part}" (want hosts=H,vms=V,snapshots=S[,localStorage=true,allRunning=true,isoLibrary=true,localDiskVms=N,localCdVms=N,hostMemoryGiB=G])`);
  }
  return out;
}

const opts: XapiSimOptions = {
  db: values.db,
  generate: values.generate ? parseGenerate(values.generate) : undefined,
  host: values.host,
  port: values.port ? Number(values.port) : 0,
  tls: values['no-tls'] ? false : (values.tls ?? true),
  user: values.user,
  password: values.password,
  taskDurationMs: values['task-duration'] ? Number(values['task-duration']) : undefined,
  slaveOf: values['slave-of'] ? { host: values['slave-of'] } : undefined,
  poolName: values['pool-name'],
  jsonRpc: !values['no-jsonrpc'],
  timeZone: values['time-zone'],
  memberHosts: values['member-hosts'],
};

const sim = await startXapiSimulator(opts);
const vms = [...sim.db.records('VM').values()].filter((v) => !v.is_a_template && !v.is_control_domain).length;
console.log(`XAPI simulator listening on ${sim.url}`);
if (sim.fingerprint256) console.log(`certificate SHA-256 fingerprint: ${sim.fingerprint256}`);
console.log(`user: ${opts.user ?? 'root'}  VMs: ${vms}  hosts: ${sim.db.records('host').size}`);

const shutdown = async () => {
  await sim.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
