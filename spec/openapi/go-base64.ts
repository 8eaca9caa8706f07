// []byte fields (Secret.data, ConfigMap.binaryData) as Go's encoding/json decodes them: standard
// padded base64 (encoding/base64 StdEncoding, \r and \n ignored), failing with Go's
// `illegal base64 data at input byte N` where N counts bytes of the UTF-8 input.

export type Base64Result = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const decodeMap = new Int16Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) decodeMap[ALPHABET.charCodeAt(i)] = i;

const CR = 0x0d;
const LF = 0x0a;
const PAD = 0x3d;

class CorruptInput extends Error {
  constructor(readonly offset: number) {
    super(`illegal base64 data at input byte ${offset}`);
  }
}

/** Go's base64.StdEncoding.Decode of the string's UTF-8 bytes. */
export function decodeGoBase64(text: string): Base64Result {
  const src = new TextEncoder().encode(text);
  const out: number[] = [];
  try {
    let si = 0;
    while (si < src.length) si = decodeQuantum(src, si, out);
  } catch (e) {
    if (e instanceof CorruptInput) return { ok: false, message: e.message };
    throw e;
  }
  return { ok: true, bytes: Uint8Array.from(out) };
}

/** One 4-character quantum (Go's decodeQuantum); returns the next input index. */
function decodeQuantum(src: Uint8Array, start: number, out: number[]): number {
  const dbuf = [0, 0, 0, 0];
  let si = start;
  let dlen = 4;
  for (let j = 0; j < 4; j++) {
    if (si === src.length) {
      if (j === 0) return si;
      // StdEncoding pads: a short final quantum is corrupt where it began.
      throw new CorruptInput(si - j);
    }
    const c = src[si] as number;
    si++;
    const v = decodeMap[c] as number;
    if (v >= 0) {
      dbuf[j] = v;
      continue;
    }
    if (c === LF || c === CR) {
      j--;
      continue;
    }
    if (c !== PAD) throw new CorruptInput(si - 1);
    // Padding: only after two or three characters of a quantum.
    if (j === 0 || j === 1) throw new CorruptInput(si - 1);
    if (j === 2) {
      while (si < src.length && (src[si] === LF || src[si] === CR)) si++;
      if (si === src.length) throw new CorruptInput(src.length);
      if (src[si] !== PAD) throw new CorruptInput(si - 1);
      si++;
    }
    while (si < src.length && (src[si] === LF || src[si] === CR)) si++;
    if (si < src.length) throw new CorruptInput(si);
    dlen = j;
    break;
  }
  const value = ((dbuf[0] as number) << 18) | ((dbuf[1] as number) << 12) | ((dbuf[2] as number) << 6) | (dbuf[3] as number);
  const bytes = [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
  out.push(...bytes.slice(0, dlen - 1));
  return si;
}

/** How Go's encoding/json writes []byte back: standard padded base64. */
export function encodeGoBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
