// Performance data of XAPI VMs and hosts: GET /rrd_updates with the session, as
// XenCenter asks for it (cf=AVERAGE, an interval per timeframe, host=true for a host,
// vm_uuid for a VM), read as it arrives within the limits, keeping only the columns
// of the object asked about.
//
// A real host's rrdd holds the data of that host and its resident VMs only, so a member's
// data is asked at the member's own address (member-endpoints.ts). Whether this pool's
// master answers for its members too (a simulator answering for the whole pool at one
// address) is learned from the first answer about a member's object, and then kept.

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
import { objectKey, readAtMaster, readOnEachHost, readTargets } from './host-reads';
import { MemberEndpoints, type Endpoint } from './member-endpoints';
import { XportReader, type Xport } from './xport-reader';

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
  /** the pool master's host ref */
  master(): string | undefined;
  limits: Limits;
  now?: () => number;
}

export class XapiMetrics implements ProviderMetrics {
  private agent: { key: string; agent: https.Agent } | undefined;
  private readonly members: MemberEndpoints;
  /** learned: the master's rrd_updates also holds the members' objects (undefined: not seen yet) */
  private masterHoldsMembers: boolean | undefined;

  constructor(private readonly ctx: XapiMetricsContext) {
    this.members = new MemberEndpoints({ session: ctx.session, trustAt: ctx.trustAt, host: (ref) => ctx.record('host', ref) });
  }

  /** The host whose rrdd holds an object's data (a VM's resident host), when it is a member other than the master. */
  memberOf(target: { nativeRef: string; kind: string }): string | undefined {
    const ref = target.kind === 'host' ? target.nativeRef : this.ctx.record(target.kind, target.nativeRef)?.resident_on;
    if (typeof ref !== 'string' || ref === '' || ref === 'OpaqueRef:NULL' || ref === this.ctx.master()) return undefined;
    return ref;
  }

  /** Whether a member's objects are asked at the member (true) or at the master (false: it holds them, or it is not known yet). */
  askMembersDirectly(): boolean {
    return this.masterHoldsMembers === false;
  }

  /** What the master's answer showed about a member's object: present (it holds the members' data) or absent. */
  learnFromMaster(memberObjectPresent: boolean): void {
    this.masterHoldsMembers ??= memberObjectPresent;
  }

  async query(target: { nativeRef: string; kind: string }, timeframe: MetricTimeframe): Promise<Omit<MetricsAnswer, 'nodeId'>> {
    const record = this.ctx.record(target.kind, target.nativeRef);
    const uuid = typeof record?.uuid === 'string' ? record.uuid : undefined;
    if (!uuid) throw new PolyvisorError({ code: 'NOT_FOUND', message: `The server no longer has ${target.nativeRef}.` });
    const type = target.kind === 'host' ? 'host' : 'vm';
    const now = Math.floor((this.ctx.now?.() ?? Date.now()) / 1000);
    const query = new URLSearchParams({ start: String(now - TIMEFRAME_SECONDS[timeframe] + ARCHIVE_MARGIN_S), cf: 'AVERAGE', interval: String(XAPI_INTERVALS[timeframe]) });
    if (type === 'host') query.set('host', 'true');
    else query.set('vm_uuid', uuid);
    const keep = (entry: string) => entry.startsWith(`AVERAGE:${type}:${uuid}:`);
    const xport = await this.fetchAt(target, query, keep);
    const named = xport.legend.map((entry, i) => seriesOf(entry.slice(entry.lastIndexOf(':') + 1), xport.values[i]!));
    const series = withDerivedSeries(named.filter((s) => s !== undefined), xport.times.length);
    return { timeframe, stepSeconds: xport.step, times: xport.times, series, ...(series.length === 0 ? { empty: 'not-running' as const } : {}) };
  }

  /**
   * The CPU and memory series of many VMs and hosts since `sinceSeconds` (threshold rules, every
   * round): one rrd_updates per host, not per VM — a lone VM at the master by its uuid.
   */
  async liveSince(targets: Array<{ nativeRef: string; kind: string }>, sinceSeconds: number): Promise<Map<string, Omit<MetricsAnswer, 'nodeId'>>> {
    const known = readTargets(targets, this.ctx.record);
    // never before the 5-second archive's reach: rrdd would answer from the minute archive
    const now = Math.floor((this.ctx.now?.() ?? Date.now()) / 1000);
    const start = Math.max(Math.floor(sinceSeconds), now - TIMEFRAME_SECONDS['10m'] + ARCHIVE_MARGIN_S);
    const query = { start: String(start), cf: 'AVERAGE', interval: String(XAPI_INTERVALS['10m']) };
    const wanted = new Set(known.map(objectKey));
    const byObject = await readOnEachHost(this, known, query, (atMaster) => readAtMaster(this, atMaster, query, wanted, 1));
    const out = new Map<string, Omit<MetricsAnswer, 'nodeId'>>();
    for (const t of known) {
      const found = byObject.get(objectKey(t));
      if (found) out.set(t.nativeRef, { timeframe: '10m', stepSeconds: found.step, times: found.times, series: found.series });
    }
    return out;
  }

  close(): void {
    this.agent?.agent.destroy();
    this.agent = undefined;
    this.members.close();
  }

  /** An object's series where its data is: its member's rrdd, or the master's (learning whether the master holds it). */
  private async fetchAt(target: { nativeRef: string; kind: string }, query: URLSearchParams, keep: (entry: string) => boolean): Promise<Xport> {
    const member = this.memberOf(target);
    if (member !== undefined && this.askMembersDirectly()) return this.fetchXport(query, keep, member);
    const xport = await this.fetchXport(query, keep);
    if (member === undefined || this.masterHoldsMembers !== undefined) return xport;
    this.learnFromMaster(xport.legend.length > 0);
    return xport.legend.length > 0 ? xport : this.fetchXport(query, keep, member);
  }

  /**
   * One rrd_updates answer, keeping the legend entries `keep` accepts (the live usage columns ask too);
   * `member`: asked at that member host's own address, else at the address we are logged in to.
   */
  async fetchXport(query: URLSearchParams, keep: (entry: string) => boolean, member?: string): Promise<Xport> {
    const endpoint = member === undefined ? this.master() : await this.members.at(member);
    try {
      return await this.read(endpoint, query, keep);
    } catch (err) {
      throw this.members.refusal(endpoint, err);
    }
  }

  private master(): Endpoint {
    const session = this.ctx.session();
    return { host: session.host, port: session.port, agent: this.agentFor(session.host, session.port) };
  }

  private async read(endpoint: Endpoint, query: URLSearchParams, keep: (entry: string) => boolean): Promise<Xport> {
    const session = this.ctx.session();
    const where = serverName(endpoint.host, endpoint.port);
    const reader = new XportReader(where, keep);
    const path = `/rrd_updates?session_id=${encodeURIComponent(session.ref)}&${query.toString()}`;
    const closed = new AbortController().signal;
    const { limits } = this.ctx;
    await postAnswer(
      { host: endpoint.host, port: endpoint.port, agent: endpoint.agent, closed },
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
