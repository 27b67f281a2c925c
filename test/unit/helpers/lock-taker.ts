// Child process for the runner-lock tests: tries to take the runner lock of <home>
// and prints "acquired" or "held <who>"; with "hold", keeps an acquired lock until
// stdin closes or it is killed.

import { tryRunnerLock } from '../../../electron/core/schedules/runner-lock';

const [home, mode] = process.argv.slice(2);
const attempt = await tryRunnerLock(home);
process.stdout.write(attempt.acquired ? 'acquired\n' : `held ${attempt.heldBy}\n`);
if (attempt.acquired && mode === 'hold') {
  process.stdin.resume();
  process.stdin.on('end', () => void attempt.lock.release().then(() => process.exit(0)));
} else {
  if (attempt.acquired) await attempt.lock.release();
  process.exit(0);
}
