// Asks for a node's series while the Performance tab is open: every few seconds for the
// live view, every minute for history; only a slow check while the window is hidden,
// and at once when it shows again.

import type { MetricsAnswer, MetricTimeframe } from '../../../shared/metrics';
import { toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import { getClient } from '../client';

export const LIVE_POLL_MS = 5_000;
export const HISTORY_POLL_MS = 60_000;

export interface PollerListener {
  answer(answer: MetricsAnswer): void;
  error(error: ErrorInfo): void;
}

export function pollMetrics(nodeId: string, timeframe: MetricTimeframe, listener: PollerListener): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = false;
  const every = timeframe === '10m' ? LIVE_POLL_MS : HISTORY_POLL_MS;
  const schedule = () => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(() => void run(), every);
  };
  const run = async () => {
    if (stopped || inFlight) return;
    if (document.hidden) {
      schedule();
      return;
    }
    inFlight = true;
    try {
      const answer = await getClient().client.invoke('metrics:query', nodeId, timeframe);
      if (!stopped) listener.answer(answer);
    } catch (e) {
      if (!stopped) listener.error(toErrorInfo(e));
    } finally {
      inFlight = false;
      schedule();
    }
  };
  const onVisible = () => {
    if (!document.hidden) void run();
  };
  document.addEventListener('visibilitychange', onVisible);
  void run();
  return () => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}
