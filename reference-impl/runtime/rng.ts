// SeededRng: the simulation's only source of randomness (spec/interfaces/rng.ts). A stream is a
// xoroshiro128+ generator (pure-rand) whose 128-bit state comes from a 128-bit key. `fork(name)`
// derives the child's key from the parent's key and the name alone, never from the parent's
// generator state, so a fork's numbers do not depend on how much the parent (or any sibling) drew.
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import type { Rng } from "../../spec/interfaces/rng.ts";

const MASK64 = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;
const FNV_PRIME_64 = 0x100000001b3n;
const FNV_OFFSET_64 = 0xcbf29ce484222325n;
const utf8 = new TextEncoder();

/** splitmix64's finalizer: a bijective 64-bit mix with good avalanche. */
function mix64(x: bigint): bigint {
  let z = x & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** FNV-1a over the bytes, started from `basis`: a stable hash, the same on every platform. */
function fnv1a64(bytes: Uint8Array, basis: bigint): bigint {
  let h = basis & MASK64;
  for (const b of bytes) h = ((h ^ BigInt(b)) * FNV_PRIME_64) & MASK64;
  return h;
}

/** A 128-bit stream key as two 64-bit halves. */
interface StreamKey {
  readonly hi: bigint;
  readonly lo: bigint;
}

function keyFromSeed(seed: bigint): StreamKey {
  const s = BigInt.asUintN(64, seed);
  return { hi: mix64(s + GOLDEN_GAMMA), lo: mix64(s + 2n * GOLDEN_GAMMA) };
}

function childKey(parent: StreamKey, name: string): StreamKey {
  const bytes = utf8.encode(name);
  const h0 = fnv1a64(bytes, FNV_OFFSET_64 ^ parent.hi);
  const h1 = fnv1a64(bytes, mix64(FNV_OFFSET_64 ^ parent.lo));
  const hi = mix64(h0 ^ mix64(parent.lo + GOLDEN_GAMMA));
  const lo = mix64(h1 ^ mix64(hi + parent.hi));
  return { hi, lo };
}

function generatorFor(key: StreamKey): RandomGenerator {
  const int32 = (x: bigint): number => Number(BigInt.asIntN(32, x));
  const state = [int32(key.hi >> 32n), int32(key.hi), int32(key.lo >> 32n), int32(key.lo)];
  // xoroshiro128+ must not start from the all-zero state.
  if (!state.some((w) => w !== 0)) state[3] = 1;
  return xoroshiro128plusFromState(state);
}

export class SeededRng implements Rng {
  readonly #key: StreamKey;
  readonly #gen: RandomGenerator;

  private constructor(
    key: StreamKey,
    /** Where this stream comes from, e.g. "seed 42/kubelet/node-1"; for messages only. */
    readonly path: string,
  ) {
    this.#key = key;
    this.#gen = generatorFor(key);
  }

  /** The root stream of a run. `seed` is any integer; it is taken modulo 2^64. */
  static fromSeed(seed: number | bigint): SeededRng {
    if (typeof seed === "number" && !Number.isSafeInteger(seed)) {
      throw new RangeError(`seed must be a safe integer, got ${seed}`);
    }
    return new SeededRng(keyFromSeed(BigInt(seed)), `seed ${seed}`);
  }

  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) {
      throw new RangeError(`Rng.int needs safe integers min <= max, got [${min}, ${max}]`);
    }
    return uniformInt(this.#gen, min, max);
  }

  float(): number {
    return uniformFloat64(this.#gen);
  }

  uint64(): bigint {
    const hi = BigInt(this.#gen.next() >>> 0);
    const lo = BigInt(this.#gen.next() >>> 0);
    return (hi << 32n) | lo;
  }

  fork(name: string): SeededRng {
    return new SeededRng(childKey(this.#key, name), `${this.path}/${name}`);
  }
}
