// npm run sim:proxmox -- --port 8006 [--tls|--no-tls] [--user root@pam --password password]
//                        [--generate nodes=4,vms=200,cts=50 | --seed migration] [--task-ms 2000] [--cert-out FILE]
import { writeFileSync } from 'node:fs';
import { startProxmoxSimulator, type ProxmoxSimulatorOptions } from './index';

let certOut: string | undefined;

function parseArgs(argv: string[]): ProxmoxSimulatorOptions {
  const opts: ProxmoxSimulatorOptions = { port: 8006 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--port':
        opts.port = Number(next());
        break;
      case '--host':
        opts.host = next();
        break;
      case '--tls':
        opts.tls = true;
        break;
      case '--no-tls':
        opts.tls = false;
        break;
      case '--user':
        opts.user = next();
        break;
      case '--password':
        opts.password = next();
        break;
      case '--cert-out':
        certOut = next();
        break;
      case '--task-ms':
        opts.taskDurationMs = Number(next());
        break;
      case '--generate': {
        const spec = Object.fromEntries(next().split(',').map((kv) => kv.split('=') as [string, string]));
        opts.generate = { nodes: Number(spec.nodes ?? 1), vms: Number(spec.vms ?? 0), cts: Number(spec.cts ?? 0) };
        break;
      }
      case '--seed': {
        const seed = next();
        if (seed !== 'default' && seed !== 'migration') throw new Error(`--seed is default or migration, not ${seed}`);
        opts.seed = seed;
        break;
      }
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const sim = await startProxmoxSimulator(opts);
if (certOut) writeFileSync(certOut, sim.certPem);
console.log(`Proxmox VE simulator listening on ${sim.url}/api2/json`);
if (sim.fingerprint256) console.log(`certificate SHA-256 fingerprint: ${sim.fingerprint256}`);
console.log(`login: ${opts.user ?? 'root@pam'} (password from --password, default "password")`);
console.log(`${sim.state.nodes.size} node(s), ${sim.state.guests.size} guest(s); Ctrl+C to stop`);
const shutdown = () => void sim.stop().then(() => process.exit(0));
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
