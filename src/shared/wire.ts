/**
 * JSON for the API over HTTP (`dgs serve`): typed arrays become {"$typed": kind, "base64": …} and come
 * back as the same typed array, so the renderer and the handlers see what Electron's structured clone
 * would give them. Pure TypeScript (the browser and Node both use it).
 */
const KINDS = { Uint8Array, Uint16Array, Int32Array, Float32Array, Float64Array } as const;
type Kind = keyof typeof KINDS;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 3 * 4096;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    let s = '';
    const end = Math.min(bytes.length, start + CHUNK);
    for (let i = start; i < end; i += 3) {
      const a = bytes[i],
        b = i + 1 < end ? bytes[i + 1] : 0,
        c = i + 2 < end ? bytes[i + 2] : 0;
      const n = (a << 16) | (b << 8) | c;
      s += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63];
      s += i + 1 < end ? ALPHABET[(n >> 6) & 63] : '=';
      s += i + 2 < end ? ALPHABET[n & 63] : '=';
    }
    parts.push(s);
  }
  return parts.join('');
}

export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const n =
      (LOOKUP[clean.charCodeAt(i)] << 18) |
      (LOOKUP[clean.charCodeAt(i + 1)] << 12) |
      ((LOOKUP[clean.charCodeAt(i + 2)] ?? 0) << 6) |
      (LOOKUP[clean.charCodeAt(i + 3)] ?? 0);
    out[o++] = (n >> 16) & 255;
    if (i + 2 < clean.length) out[o++] = (n >> 8) & 255;
    if (i + 3 < clean.length) out[o++] = n & 255;
  }
  return out;
}

function kindOf(v: unknown): Kind | null {
  for (const k of Object.keys(KINDS) as Kind[]) if (v instanceof KINDS[k]) return k;
  return null;
}

export function toWire(value: unknown): string {
  return JSON.stringify(value, function replacer(this: unknown, key, v: unknown) {
    // JSON.stringify has already turned typed arrays into objects by the time v arrives: read the original.
    const original = (this as Record<string, unknown>)[key];
    const kind = kindOf(original);
    if (!kind) return v;
    const view = original as ArrayBufferView;
    return { $typed: kind, base64: toBase64(new Uint8Array(view.buffer, view.byteOffset, view.byteLength)) };
  });
}

export function fromWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (
      v &&
      typeof v === 'object' &&
      typeof (v as { $typed?: unknown }).$typed === 'string' &&
      typeof (v as { base64?: unknown }).base64 === 'string'
    ) {
      const { $typed, base64 } = v as { $typed: string; base64: string };
      if (!Object.prototype.hasOwnProperty.call(KINDS, $typed)) return v;
      const bytes = fromBase64(base64);
      const Ctor = KINDS[$typed as Kind];
      const copy = new Uint8Array(bytes.length);
      copy.set(bytes);
      return new Ctor(copy.buffer, 0, bytes.length / Ctor.BYTES_PER_ELEMENT);
    }
    return v;
  });
}
