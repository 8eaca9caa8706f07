// The Rng: the only source of randomness for components. Seeded from the run seed and forked into
// named, independent streams (one per component), so adding a component does not change the
// numbers any other component draws.

export interface Rng {
  /** Integer uniformly drawn from [min, max], both inclusive (safe integers only). */
  int(min: number, max: number): number;
  /** Float uniformly drawn from [0, 1). */
  float(): number;
  /** A uniformly drawn unsigned 64-bit integer. */
  uint64(): bigint;
  /** An independent stream whose numbers depend only on this stream's seed and `name`. */
  fork(name: string): Rng;
}
