import { createHash, randomBytes } from 'node:crypto';

/** Where the simulator's ids come from: crypto randomness, or a seeded generator. @internal */
export interface IdSource {
  /** `n` random bytes as lowercase hex. */
  hex(bytes: number): string;
  /** A Flink id: 32 lowercase hex characters. */
  flinkId(): string;
  /** A random UUID (`8-4-4-4-12`), as Flink names uploaded jars. */
  uuid(): string;
}

/**
 * A seeded generator (SplitMix32-style mixing on a 32-bit state): the same seed yields the same
 * sequence of ids, so bodies are reproducible between runs.
 */
function seededBytes(seed: number): (n: number) => Buffer {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  return (n) => {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i += 4) {
      const word = next();
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
    }
    return out;
  };
}

/** Creates the id source for a simulator. @internal */
export function createIdSource(seed: number | undefined): IdSource {
  const bytes = seed === undefined ? (n: number) => randomBytes(n) : seededBytes(seed);
  return {
    hex: (n) => bytes(n).toString('hex'),
    flinkId: () => bytes(16).toString('hex'),
    uuid: () => {
      const h = bytes(16);
      h[6] = ((h[6] as number) & 0x0f) | 0x40;
      h[8] = ((h[8] as number) & 0x3f) | 0x80;
      const s = h.toString('hex');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
  };
}

/**
 * A stable 32-hex id derived from text. Flink derives job vertex ids from the operators' uids, so
 * the same program always has the same vertex ids; the simulator imitates that with a hash.
 * @internal
 */
export function stableId(...parts: string[]): string {
  return createHash('md5').update(parts.join('\u0000')).digest('hex');
}

const HEX32 = /^[0-9a-fA-F]{32}$/;

/** Whether a string is a Flink id (32 hex characters, any case). @internal */
export function isFlinkId(value: unknown): value is string {
  return typeof value === 'string' && HEX32.test(value);
}
