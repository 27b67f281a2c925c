// Child process for the runner-lock tests: tries to take the lock in <home> and
// prints "acquired" or "held <pid>"; with "hold", keeps an acquired lock (and its
// heartbeat) until stdin closes or it is killed.

import { RunnerLock } from '../../../electron/core/schedules/runner-lock';

const [home, mode, heartbeatMs] = process.argv.slice(2);
const attempt = await RunnerLock.tryAcquire(home, 'test', { heartbeatMs: Number(heartbeatMs) || 200 });
process.stdout.write(attempt.acquired ? 'acquired\n' : `held ${attempt.heldBy.pid}\n`);
if (attempt.acquired && mode === 'hold') {
  process.stdin.resume();
  process.stdin.on('end', () => void attempt.lock.release().then(() => process.exit(0)));
} else {
  if (attempt.acquired) await attempt.lock.release();
  process.exit(0);
}
