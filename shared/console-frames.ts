// Frames on a console bridge WebSocket (ws://127.0.0.1:PORT/console/ID?token=…, from
// `console:open` / `logs:open`). Console data travels as binary frames both ways: RFB
// bytes for graphical consoles, terminal bytes for text ones and logs. A text frame
// the page sends to a text console is a control message when it decodes as one (below),
// and typed input otherwise.

import { z } from 'zod';

const ControlFrameSchema = z.strictObject({
  type: z.literal('resize'),
  cols: z.number().int().min(1).max(1000),
  rows: z.number().int().min(1).max(1000),
});

export type ConsoleControlFrame = z.infer<typeof ControlFrameSchema>;

export function encodeControlFrame(frame: ConsoleControlFrame): string {
  return JSON.stringify(frame);
}

/** The control message in a text frame, or null when the frame is typed input. */
export function decodeControlFrame(text: string): ConsoleControlFrame | null {
  if (!text.startsWith('{')) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null; // typed text that happens to start with "{"
  }
  const parsed = ControlFrameSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
