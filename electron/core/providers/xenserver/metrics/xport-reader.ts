// Reads xapi's "xport" document (GET /rrd_updates) as it arrives:
//   <xport><meta><start/><step/><end/><rows/><columns/><legend><entry>AVERAGE:vm:<uuid>:cpu0</entry>…</legend></meta>
//   <data><row><t>…</t><v>…</v>…</row>…</data></xport>
// Only the columns `keep` accepts are stored, so a pool-wide answer costs memory only
// for the object asked about. Every piece of text is bounded; anything out of shape
// is a malformed answer, never a guess.

import { StringDecoder } from 'node:string_decoder';
import { PolyvisorError } from '../../../../../shared/errors';

export interface Xport {
  step: number;
  /** the kept columns' legend entries */
  legend: string[];
  /** ascending Unix seconds (xapi sends the newest row first) */
  times: number[];
  /** values[column][row], in the order of `times`; NaN where xapi wrote NaN */
  values: number[][];
}

export interface XportLimits {
  maxRows: number;
  maxColumns: number;
  /** the longest tag or text the reader holds at once */
  maxTokenChars: number;
}

export const XPORT_LIMITS: XportLimits = { maxRows: 100_000, maxColumns: 200_000, maxTokenChars: 64 * 1024 };

type Section = 'none' | 'meta' | 'legend' | 'data' | 'row';

export class XportReader {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private section: Section = 'none';
  private text = '';
  private step = 0;
  private legendAll = 0;
  private readonly keptIndex: number[] = [];
  private readonly legend: string[] = [];
  private readonly times: number[] = [];
  private readonly columns: number[][] = [];
  private column = 0;
  private rowHasTime = false;
  private ended = false;

  constructor(
    private readonly where: string,
    private readonly keep: (entry: string) => boolean = () => true,
    private readonly limits: XportLimits = XPORT_LIMITS,
  ) {}

  push(bytes: Buffer | string): void {
    this.pending += typeof bytes === 'string' ? bytes : this.decoder.write(bytes);
    this.scan();
    if (this.pending.length > this.limits.maxTokenChars) throw this.malformed('a tag or value is too long');
  }

  finish(): Xport {
    this.pending += this.decoder.end();
    this.scan();
    if (!this.ended) throw this.malformed('the document ends early');
    // xapi writes the newest row first; the series model runs forward in time
    const order = this.times.map((_t, i) => i).sort((a, b) => this.times[a]! - this.times[b]!);
    return {
      step: this.step,
      legend: this.legend,
      times: order.map((i) => this.times[i]!),
      values: this.columns.map((col) => order.map((i) => col[i] ?? Number.NaN)),
    };
  }

  private scan(): void {
    let at = 0;
    for (;;) {
      const open = this.pending.indexOf('<', at);
      if (open < 0) break;
      const close = this.pending.indexOf('>', open);
      if (close < 0) break;
      this.text += this.pending.slice(at, open);
      if (this.text.length > this.limits.maxTokenChars) throw this.malformed('a value is too long');
      this.tag(this.pending.slice(open + 1, close));
      at = close + 1;
    }
    this.pending = this.pending.slice(at);
  }

  private tag(body: string): void {
    if (body.startsWith('?') || body.startsWith('!')) return;
    const closing = body.startsWith('/');
    const name = (closing ? body.slice(1) : body).replace(/\/$/, '').trim();
    if (!closing) {
      this.opened(name);
      this.text = '';
      if (body.endsWith('/')) this.closed(name);
      return;
    }
    this.closed(name);
    this.text = '';
  }

  private opened(name: string): void {
    if (name === 'meta') this.section = 'meta';
    else if (name === 'legend') this.section = 'legend';
    else if (name === 'data') this.section = 'data';
    else if (name === 'row') {
      if (this.section !== 'data') throw this.malformed('a row outside the data');
      if (this.times.length >= this.limits.maxRows) throw this.malformed(`more than ${this.limits.maxRows} rows`);
      this.section = 'row';
      this.column = 0;
      this.rowHasTime = false;
    }
  }

  private closed(name: string): void {
    const text = decodeEntities(this.text.trim());
    switch (name) {
      case 'step':
        if (this.section === 'meta') this.step = this.integer(text, 'step');
        break;
      case 'entry':
        if (this.section !== 'legend') throw this.malformed('a legend entry outside the legend');
        if (++this.legendAll > this.limits.maxColumns) throw this.malformed(`more than ${this.limits.maxColumns} columns`);
        if (this.keep(text)) {
          this.keptIndex[this.legendAll - 1] = this.legend.length;
          this.legend.push(text);
          this.columns.push([]);
        }
        break;
      case 'legend':
      case 'meta':
        this.section = 'none';
        break;
      case 't':
        if (this.section !== 'row') throw this.malformed('a time outside a row');
        this.times.push(this.integer(text, 't'));
        this.rowHasTime = true;
        break;
      case 'v':
        this.value(text);
        break;
      case 'row':
        if (!this.rowHasTime) throw this.malformed('a row without its time');
        if (this.column !== this.legendAll) throw this.malformed(`a row with ${this.column} values for ${this.legendAll} columns`);
        this.section = 'data';
        break;
      case 'xport':
        this.ended = true;
        break;
    }
  }

  private value(text: string): void {
    if (this.section !== 'row' || !this.rowHasTime) throw this.malformed('a value outside a row');
    const index = this.column++;
    if (index >= this.legendAll) throw this.malformed('a row with more values than the legend has entries');
    const kept = this.keptIndex[index];
    if (kept === undefined) return;
    const v = text === 'NaN' || text === 'nan' ? Number.NaN : Number(text);
    if (text === '' || (Number.isNaN(v) && text.toLowerCase() !== 'nan')) throw this.malformed(`a value ${JSON.stringify(text.slice(0, 40))} is not a number`);
    this.columns[kept]![this.times.length - 1] = v;
  }

  private integer(text: string, what: string): number {
    if (!/^-?\d{1,15}$/.test(text)) throw this.malformed(`${what} ${JSON.stringify(text.slice(0, 40))} is not a whole number`);
    return Number(text);
  }

  private malformed(reason: string): PolyvisorError {
    return new PolyvisorError({ code: 'SERVER_ERROR', message: `${this.where} sent performance data Polyvisor cannot read: ${reason}.` });
  }
}

function decodeEntities(text: string): string {
  return text.includes('&') ? text.replace(/&(lt|gt|amp|quot|apos);/g, (_m, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]!) : text;
}
