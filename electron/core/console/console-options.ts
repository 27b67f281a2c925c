// Checks the optional `console:open` settings that arrive from the renderer.

import type { ConsoleOptions } from '../../../shared/contract';
import { invalid, requireObject } from '../util/input';

/** An absolute path or a bare command name: no spaces, quotes or shell syntax. */
const SHELL_PATTERN = /^\/?[A-Za-z0-9._+-]+(\/[A-Za-z0-9._+-]+)*$/;

export function parseConsoleOptions(v: unknown): ConsoleOptions {
  if (v === undefined || v === null) return {};
  const o = requireObject(v, 'console options');
  const options: ConsoleOptions = {};
  if (o.shell !== undefined && o.shell !== null && o.shell !== '') {
    if (typeof o.shell !== 'string' || o.shell.length > 200 || !SHELL_PATTERN.test(o.shell)) {
      throw invalid(`shell must be a program path such as /bin/sh, not ${JSON.stringify(o.shell)}.`);
    }
    options.shell = o.shell;
  }
  return options;
}
