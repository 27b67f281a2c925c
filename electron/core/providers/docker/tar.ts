// The smallest tar the engine's archive API needs: a few empty directories,
// to create the folder a volume archive is extracted into.

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function directoryHeader(name: string, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  const dir = name.endsWith('/') ? name : `${name}/`;
  if (Buffer.byteLength(dir) > 100) throw new Error(`tar entry name too long: ${dir}`);
  h.write(dir, 0, 100, 'utf8');
  h.write(octal(0o755, 8), 100, 8, 'ascii');
  h.write(octal(0, 8), 108, 8, 'ascii'); // uid
  h.write(octal(0, 8), 116, 8, 'ascii'); // gid
  h.write(octal(0, 12), 124, 12, 'ascii'); // size
  h.write(octal(mtime, 12), 136, 12, 'ascii');
  h.write('        ', 148, 8, 'ascii'); // checksum placeholder
  h.write('5', 156, 1, 'ascii'); // directory
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return h;
}

/** A tar archive holding only the given (relative) directories. */
export function directoriesTar(dirs: string[], now = Date.now()): Buffer {
  const mtime = Math.floor(now / 1000);
  return Buffer.concat([...dirs.map((d) => directoryHeader(d, mtime)), Buffer.alloc(BLOCK * 2)]);
}
