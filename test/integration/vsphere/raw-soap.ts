// A second, independent vSphere client for the tests: hand-written SOAP over
// node:https (the simulator's certificate as the only CA), parsed with a plain
// fast-xml-parser setup. It never shares code with the provider under test, so
// it can cross-check the inventory (through a ContainerView, not the
// provider's traversal specs) and act as "another user" (power changes,
// terminating the provider's session).

import https from 'node:https';
import { XMLParser } from 'fast-xml-parser';
import type { Vcsim } from '../../peers/vcsim';

// htmlEntities: Go and VMware write newlines in text as &#xA;
const parser = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, parseTagValue: false, htmlEntities: true });

export interface Ref {
  type: string;
  value: string;
}

type Node = Record<string, unknown>;

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const ref = (name: string, r: Ref) => `<${name} type="${r.type}">${esc(r.value)}</${name}>`;

interface Content {
  rootFolder: Ref;
  propertyCollector: Ref;
  sessionManager: Ref;
  viewManager: Ref;
}

export class RawSoap {
  private cookie = '';
  private readonly agent: https.Agent;
  private content: Content | null = null;

  constructor(private readonly sim: Vcsim) {
    this.agent = new https.Agent({ ca: sim.certPem, keepAlive: false });
  }

  async login(username = this.sim.username, password = this.sim.password): Promise<void> {
    const c = await this.serviceContent();
    await this.call('Login', c.sessionManager, `<userName>${esc(username)}</userName><password>${esc(password)}</password>`);
  }

  async logout(): Promise<void> {
    await this.call('Logout', (await this.serviceContent()).sessionManager, '');
  }

  async serviceContent(): Promise<Content> {
    if (!this.content) {
      const res = (await this.call('RetrieveServiceContent', { type: 'ServiceInstance', value: 'ServiceInstance' }, '')).returnval as Node;
      this.content = {
        rootFolder: readRef(res.rootFolder),
        propertyCollector: readRef(res.propertyCollector),
        sessionManager: readRef(res.sessionManager),
        viewManager: readRef(res.viewManager),
      };
    }
    return this.content;
  }

  private async retrieve(spec: string): Promise<Node> {
    return this.call('RetrievePropertiesEx', (await this.serviceContent()).propertyCollector, spec);
  }

  /** Raw method call; returns the parsed `<MethodResponse>` element or throws with the fault's type name. */
  async call(method: string, target: Ref, inner: string): Promise<Node> {
    const body =
      `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
      `<soapenv:Body><${method} xmlns="urn:vim25">${ref('_this', target)}${inner}</${method}></soapenv:Body></soapenv:Envelope>`;
    const { status, text, setCookie } = await this.post(body);
    const env = parser.parse(text).Envelope.Body as Node;
    if (env.Fault) {
      const fault = env.Fault as Node;
      const detail = fault.detail as Node | undefined;
      const name = detail ? Object.keys(detail).find((k) => !k.startsWith('@_'))?.replace(/Fault$/, '') : 'unknown';
      throw new Error(`${method}: ${name}: ${String(fault.faultstring ?? '')}`);
    }
    if (status !== 200) throw new Error(`${method}: HTTP ${status}`);
    const cookie = setCookie?.map((c) => c.split(';')[0]).find((c) => c.startsWith('vmware_soap_session='));
    if (cookie) this.cookie = cookie;
    return (env[`${method}Response`] ?? {}) as Node;
  }

  private post(body: string): Promise<{ status: number; text: string; setCookie?: string[] }> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: this.sim.host,
          port: this.sim.port,
          path: '/sdk',
          method: 'POST',
          agent: this.agent,
          headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: 'urn:vim25/6.5', ...(this.cookie ? { Cookie: this.cookie } : {}) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text, setCookie: res.headers['set-cookie'] }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Every object of `type` under the root folder (through a ContainerView) with the given properties. */
  async objects(type: string, paths: string[]): Promise<Array<{ ref: Ref; props: Record<string, unknown> }>> {
    const c = await this.serviceContent();
    const view = readRef((await this.call('CreateContainerView', c.viewManager, `${ref('container', c.rootFolder)}<type>${type}</type><recursive>true</recursive>`)).returnval);
    const spec =
      `<specSet><propSet><type>${type}</type>${paths.map((p) => `<pathSet>${p}</pathSet>`).join('')}</propSet>` +
      `<objectSet>${ref('obj', view)}<skip>true</skip><selectSet xsi:type="TraversalSpec"><name>v</name><type>ContainerView</type><path>view</path><skip>false</skip></selectSet></objectSet></specSet><options></options>`;
    const res = await this.retrieve(spec);
    await this.call('DestroyView', view, '');
    return list((res.returnval as Node | undefined)?.objects as Node[] | Node | undefined).map((o) => ({
      ref: readRef(o.obj),
      props: Object.fromEntries(list(o.propSet as Node[] | Node).map((p) => [String(p.name), p.val])),
    }));
  }

  async vmByName(name: string): Promise<Ref> {
    const vms = await this.objects('VirtualMachine', ['name']);
    const vm = vms.find((v) => text(v.props.name) === name);
    if (!vm) throw new Error(`no VM named ${name}`);
    return vm.ref;
  }

  /** Runs a *_Task method and waits for the task to succeed. */
  async runTask(method: string, target: Ref, inner = ''): Promise<void> {
    const task = readRef((await this.call(method, target, inner)).returnval);
    for (let i = 0; i < 200; i++) {
      const spec = `<specSet><propSet><type>Task</type><pathSet>info.state</pathSet><pathSet>info.error</pathSet></propSet><objectSet>${ref('obj', task)}</objectSet></specSet><options></options>`;
      const res = await this.retrieve(spec);
      const props = list(((res.returnval as Node).objects as Node).propSet as Node[] | Node);
      const state = text(props.find((p) => p.name === 'info.state')?.val);
      if (state === 'success') return;
      // the fault's type names it (CustomizationPending, InvalidPowerState)
      if (state === 'error') throw new Error(`${method} failed: ${String(((props.find((p) => p.name === 'info.error')?.val as Node | undefined)?.fault as Node | undefined)?.['@_type'] ?? 'unknown')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${method} did not finish`);
  }

  /** Ends every session but this one (as an administrator would from the vSphere Client). */
  async terminateOtherSessions(): Promise<number> {
    const others = await this.otherSessions();
    if (others.length) {
      await this.call('TerminateSession', (await this.serviceContent()).sessionManager, others.map((k) => `<sessionId>${esc(k)}</sessionId>`).join(''));
    }
    return others.length;
  }

  /** Keys of every session but this one. */
  async otherSessions(): Promise<string[]> {
    const sm = (await this.serviceContent()).sessionManager;
    const spec = `<specSet><propSet><type>SessionManager</type><pathSet>sessionList</pathSet><pathSet>currentSession</pathSet></propSet><objectSet>${ref('obj', sm)}</objectSet></specSet><options></options>`;
    const res = await this.retrieve(spec);
    const props = list(((res.returnval as Node).objects as Node).propSet as Node[] | Node);
    const current = text((props.find((p) => p.name === 'currentSession')?.val as Node).key);
    const sessions = list(((props.find((p) => p.name === 'sessionList')?.val as Node | undefined)?.UserSession) as Node[] | Node | undefined);
    return sessions.map((s) => text(s.key)).filter((k) => k !== current);
  }
}

export function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return String((v as Node)['#text'] ?? '');
  return String(v);
}

function readRef(v: unknown): Ref {
  const n = v as Node;
  return { type: String(n['@_type']), value: String(n['#text']) };
}
