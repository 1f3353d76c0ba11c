/**
 * Small media files for simulated customers: a real PNG (a coloured tile with a lighter diagonal band), a
 * silent AMR-NB voice note and a placeholder MP4. Made in memory, no dependencies.
 */
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed) >>> 0);
  return Buffer.concat([length, typed, crc]);
}

/** A `size`×`size` truecolour PNG of the colour `rgb` (0xRRGGBB). */
export function makePng(rgb: number, size = 64): Buffer {
  const r = (rgb >> 16) & 0xff;
  const g = (rgb >> 8) & 0xff;
  const b = rgb & 0xff;
  const light = (v: number) => Math.min(255, v + Math.round((255 - v) / 2));
  const row = 1 + size * 3;
  const raw = Buffer.alloc(row * size);
  for (let y = 0; y < size; y++) {
    raw[y * row] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const band = Math.abs(x - y) < size / 8;
      const o = y * row + 1 + x * 3;
      raw[o] = band ? light(r) : r;
      raw[o + 1] = band ? light(g) : g;
      raw[o + 2] = band ? light(b) : b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** One second of AMR-NB "no data" frames: a valid, silent voice note. */
export function makeAmr(): Buffer {
  return Buffer.concat([Buffer.from('#!AMR\n', 'ascii'), Buffer.alloc(50, 0x7c)]);
}

/** An MP4 `ftyp` box only: the right type and signature for a video message, not a playable film. */
export function makeMp4(): Buffer {
  return Buffer.from('000000186674797069736f6d0000020069736f6d6d703431', 'hex');
}

/** A colour picked from a string, so one customer's pictures look alike. */
export function colourOf(seed: string): number {
  const palette = [0x07c160, 0x1989fa, 0xff976a, 0xee0a24, 0x7232dd, 0x00b2a9, 0xffc300, 0x576b95];
  return palette[crc32(seed) % palette.length] ?? 0x07c160;
}
