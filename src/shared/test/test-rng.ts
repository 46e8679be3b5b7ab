/**
 * Randomness in tests that a failure can replay: every draw comes from the project's seeded generator
 * (rng.ts), seeded from DGS_TEST_SEED when it is set and from the clock otherwise. The seed is printed
 * when the generator is made and belongs in assertion messages, so a failing run says how to repeat it.
 */
import { SeededRng } from '../rng';

export interface TestRng {
  readonly seed: number;
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform uint32. */
  uint32(): number;
  /** "seed N (DGS_TEST_SEED=N replays it)", for assertion messages. */
  readonly note: string;
}

export function testRng(label: string): TestRng {
  const fromEnv = process.env.DGS_TEST_SEED;
  const seed = fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) >>> 0 : Date.now() >>> 0;
  const rng = new SeededRng(seed);
  const note = `seed ${seed} (DGS_TEST_SEED=${seed} replays it)`;
  console.info(`${label}: ${note}`);
  return { seed, note, uniform: () => rng.nextDouble(), uint32: () => rng.nextUint32() };
}
