// `polyvisor …` / `npm run cli -- …`: the entry point (electron/cli/run.ts does the work).
import { runCli } from './run';

const code = await runCli(process.argv.slice(2));
// flush stdout before leaving: pipes are asynchronous
process.stdout.write('', () => process.exit(code));
