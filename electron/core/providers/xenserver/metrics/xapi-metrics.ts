// Performance data of XAPI VMs and hosts: GET /rrd_updates with the session, as
// XenCenter asks for it (cf=AVERAGE, an interval per timeframe, host=true for a host,
// vm_uuid for a VM), read as it arrives within the limits, keeping only the columns
// of the object asked about.
//
// Asked at the address we are logged in to (the pool master): a real master's rrdd
// holds the data of the master and its resident VMs; a member's VMs need the member's
// address, which XenCenter reaches directly (not done yet: see the report of issue 15).

import type https from 'node:https';
import { PolyvisorError } from '../../../../../shared/errors';
import type { MetricsAnswer, MetricTimeframe } from '../../../../../shared/metrics';
import { TIMEFRAME_SECONDS } from '../../../../../shared/metrics';
import { httpsAgent, type TlsTrust } from '../../../tls/trust';
import type { Limits } from '../../common/limits';
import type { ProviderMetrics } from '../../provider';
import { postAnswer, serverName } from '../http-post';
import type { XapiRecord } from '../records';
import type { XapiSession } from '../session';
import { XAPI_INTERVALS } from './facet';
import { seriesOf, withDerivedSeries } from './series-map';
import { XportReader } from './xport-reader';

/**
 * rrdd answers from the finest archive that still holds `start`; 10 minutes and a week are
 * exactly the length of the 5-second and the hourly archive, so a server clock a little ahead
 * of ours (or the second turning while the request travels) would fall back to the next,
 * coarser one. Asking a few seconds less keeps the timeframe's resolution.
 */
const ARCHIVE_MARGIN_S = 5;

export interface XapiMetricsContext {
  session(): XapiSession;
  trustAt(host: string, port: number): TlsTrust;
  /** the VM and host records the inventory keeps (for their uuids) */
  record(kind: string, ref: string): XapiRecord | undefined;
  limits: Limits;
  now?: () => number;
}

export class XapiMetrics implements ProviderMetrics {
  private agent: { key: string; agent: https.Agent } | undefined;

  constructor(private readonly ctx: XapiMetricsContext) {}

  async query(target: { nativeRef: string; kind: string }, timeframe: MetricTimeframe): Promise<Omit<MetricsAnswer, 'nodeId'>> {
    const record = this.ctx.record(target.kind, target.nativeRef);
    const uuid = typeof record?.uuid === 'string' ? record.uuid : undefined;
    if (!uuid) throw new PolyvisorError({ code: 'NOT_FOUND', message: `The server no longer has ${target.nativeRef}.` });
    const type = target.kind === 'host' ? 'host' : 'vm';
    const now = Math.floor((this.ctx.now?.() ?? Date.now()) / 1000);
    const query = new URLSearchParams({ start: String(now - TIMEFRAME_SECONDS[timeframe] + ARCHIVE_MARGIN_S), cf: 'AVERAGE', interval: String(XAPI_INTERVALS[timeframe]) });
    if (type === 'host') query.set('host', 'true');
    else query.set('vm_uuid', uuid);
    const xport = await this.fetchXport(query, (entry) => entry.startsWith(`AVERAGE:${type}:${uuid}:`));
    const named = xport.legend.map((entry, i) => seriesOf(entry.slice(entry.lastIndexOf(':') + 1), xport.values[i]!));
    const series = withDerivedSeries(named.filter((s) => s !== undefined), xport.times.length);
    return { timeframe, stepSeconds: xport.step, times: xport.times, series, ...(series.length === 0 ? { empty: 'not-running' as const } : {}) };
  }

  close(): void {
    this.agent?.agent.destroy();
    this.agent = undefined;
  }

  /** One rrd_updates answer, keeping the legend entries `keep` accepts (the live usage columns ask too). */
  async fetchXport(query: URLSearchParams, keep: (entry: string) => boolean) {
    const session = this.ctx.session();
    const where = serverName(session.host, session.port);
    const reader = new XportReader(where, keep);
    const path = `/rrd_updates?session_id=${encodeURIComponent(session.ref)}&${query.toString()}`;
    const closed = new AbortController().signal;
    const { limits } = this.ctx;
    await postAnswer(
      { host: session.host, port: session.port, agent: this.agentFor(session.host, session.port), closed },
      { method: 'GET', path, body: '', contentType: 'text/xml', maxBytes: limits.maxStreamedBytes, timing: { deadlineMs: Math.min(limits.requestDeadlineMs, 120_000), idleMs: limits.idleTimeoutMs } },
      {
        head(status) {
          if (status !== 200) throw new PolyvisorError({ code: 'SERVER_ERROR', message: `${where} answered the performance data request with HTTP ${status}.`, serverCode: `HTTP_${status}` });
        },
        chunk: (bytes) => reader.push(bytes),
      },
    );
    return reader.finish();
  }

  private agentFor(host: string, port: number): https.Agent {
    const key = `${host}:${port}`;
    if (this.agent?.key !== key) {
      this.agent?.agent.destroy();
      this.agent = { key, agent: httpsAgent(this.ctx.trustAt(host, port)) };
    }
    return this.agent.agent;
  }
}
