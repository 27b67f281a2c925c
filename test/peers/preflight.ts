// `npx tsx test/peers/preflight.ts`: checks that every program the tests start is here
// (the list: test/peers/programs.ts), run first by test/run.sh. Prints each missing one
// with its Debian package. Under POLYVISOR_REQUIRE_PEERS=1 a missing program fails (exit 1);
// otherwise the list is a warning and the tests that need it skip.
// `--update-install-script` rewrites the package list of install-debian-packages.sh from programs.ts.

import { readFileSync, writeFileSync } from 'node:fs';
import { INSTALL_SCRIPT, preflight, withInstallScriptBlock } from './programs';
import { peersRequired } from './require-peer';

if (process.argv.includes('--update-install-script')) {
  const before = readFileSync(INSTALL_SCRIPT, 'utf8');
  const after = withInstallScriptBlock(before);
  if (after !== before) writeFileSync(INSTALL_SCRIPT, after);
  console.log(after === before ? `${INSTALL_SCRIPT}: up to date` : `${INSTALL_SCRIPT}: package list rewritten`);
  process.exit(0);
}

const problems = preflight();
const required = problems.filter((p) => !p.entry.optional);
const optional = problems.filter((p) => p.entry.optional);
for (const p of optional) console.warn(`preflight: optional, no test starts it: ${p.message}`);
if (required.length === 0) {
  console.log('preflight: every program the tests start is here (test/peers/programs.ts)');
  process.exit(0);
}
const fatal = peersRequired();
for (const p of required) console.error(`preflight: ${p.message}   (used by ${p.entry.usedBy})`);
const packages = [...new Set(required.filter((p) => p.kind === 'missing').map((p) => p.entry.package))];
if (packages.length) console.error(`preflight: to install them: apt-get install ${packages.join(' ')}   (or: bash test/peers/install-debian-packages.sh)`);
if (fatal) {
  console.error(`preflight: POLYVISOR_REQUIRE_PEERS=1: ${required.length} test peer program(s) missing, stopping here`);
  process.exit(1);
}
console.warn('preflight: warning only (POLYVISOR_REQUIRE_PEERS is not set): the tests that need these will be skipped or fail');
