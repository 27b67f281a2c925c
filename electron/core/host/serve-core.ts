// The core process's side: builds the core from the host's init message and answers the
// host's calls over the parent channel. What only the host can do (the native menu,
// opening a viewer link with the desktop's programs) is asked of the host as a message.
// Secrets stay here: the keychain is opened in this process and no call's answer
// carries a password (the contract has none to carry).

import { EVENTS, type Channel, type ChannelHandlers, type Reply } from '../../../shared/contract';
import { PolyvisorError, toErrorInfo } from '../../../shared/errors';
import { createAppCore, type AppCoreOptions, type PolyvisorCore } from '../app-core';
import { BridgeConsoleBroker } from '../console/broker';
import { systemLauncher } from '../console/system-launcher';
import type { CoreProcessInit, FromCore, HostCall, ParentChannel, ToCore } from './core-messages';
import { EventSender } from './event-sender';

/** Options a particular entry adds (the test entry: an in-memory secret store). */
export type ExtraCoreOptions = (init: CoreProcessInit) => Partial<AppCoreOptions>;

export function serveCore(parent: ParentChannel, extra: ExtraCoreOptions = () => ({})): void {
  const send = (m: FromCore) => parent.send(m);
  const consoles = new BridgeConsoleBroker();
  let core: Promise<PolyvisorCore> | undefined;
  let stopping: Promise<void> | undefined;
  let nextHostCall = 1;
  const hostCalls = new Map<number, { resolve(value: unknown): void; reject(e: unknown): void }>();

  const askHost = (call: HostCall): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextHostCall++;
      hostCalls.set(id, { resolve, reject });
      send({ type: 'host-call', id, call });
    });

  const build = async (init: CoreProcessInit): Promise<PolyvisorCore> => {
    for (const origin of init.consoleOrigins) consoles.allowOrigin(origin);
    const hostHandlers = Object.fromEntries(
      init.hostChannels.map((channel: Channel) => [channel, (...args: unknown[]) => askHost({ name: 'channel', channel, args })]),
    ) as Partial<ChannelHandlers>;
    const built = await createAppCore(init.mode, {
      home: init.home,
      version: init.version,
      console: consoles,
      hostHandlers,
      externalLauncher: init.hostOpensLinks
        ? systemLauncher({
            handles: async (scheme) => (await askHost({ name: 'links.handles', scheme })) === true,
            open: async (link) => void (await askHost({ name: 'links.open', link })),
          })
        : undefined,
      log: (level, message) => console[level === 'error' ? 'error' : level === 'warn' ? 'warn' : 'log'](`[core] ${message}`),
      ...extra(init),
    });
    const events = new EventSender((event, payload) => send({ type: 'event', event, payload } as FromCore));
    for (const event of EVENTS) built.on(event, (payload) => events.push(event, payload));
    return built;
  };

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const running = await core?.catch(() => undefined);
      await running?.stop();
    })();
    return stopping;
  };

  const answer = async (id: number, run: () => Promise<unknown>): Promise<void> => {
    let reply: Reply<unknown>;
    try {
      reply = { ok: true, value: await run() };
    } catch (e) {
      reply = { ok: false, error: toErrorInfo(e) };
    }
    send({ type: 'reply', id, reply });
  };

  const call = async (method: string, args: unknown[]): Promise<unknown> => {
    if (method === 'ping') return args[0];
    if (method === 'allowConsoleOrigin') return consoles.allowOrigin(String(args[0]));
    if (!core) throw new PolyvisorError({ code: 'INTERNAL', message: 'The core process was called before it was set up.' });
    const c = await core;
    switch (method) {
      case 'dispatch':
        return c.dispatch(args[0], args[1]);
      case 'start':
        return c.start();
      case 'stop':
        return stop();
      case 'waitForTask':
        return c.waitForTask(String(args[0]));
      case 'runDueSchedules':
        return c.runDueSchedules();
      default:
        throw new PolyvisorError({ code: 'INVALID_INPUT', message: `The core process has no method ${JSON.stringify(method)}.` });
    }
  };

  parent.onMessage((m: ToCore) => {
    switch (m.type) {
      case 'init':
        if (core) return;
        core = build(m.init);
        core.then(
          (c) => send({ type: 'ready', home: c.home }),
          (e: unknown) => send({ type: 'init-failed', error: toErrorInfo(e) }),
        );
        return;
      case 'call':
        void answer(m.id, () => call(m.method, m.args));
        return;
      case 'host-reply': {
        const waiting = hostCalls.get(m.id);
        hostCalls.delete(m.id);
        if (!waiting) return;
        if (m.reply.ok) waiting.resolve(m.reply.value);
        else waiting.reject(new PolyvisorError(m.reply.error));
        return;
      }
    }
  });

  // the host went away without stopping us: stop cleanly (sessions logged out), then end
  parent.onGone(() => {
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    stop()
      .catch((e: unknown) => console.error(`[core] stopping after the host went away failed: ${toErrorInfo(e).message}`))
      .finally(() => process.exit(0));
  });
}
