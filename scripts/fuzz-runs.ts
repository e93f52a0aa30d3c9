// How many generated inputs each property test tries: 10,000 in `npm test`, more with
// `npm run fuzz` (FUZZ_RUNS=1000000). Expensive properties (a handshake per input) divide.
import fc from 'fast-check';

/** Runs for one property; `cost` > 1 for properties that do much more work per input. */
export function fuzzRuns(cost = 1): number {
  const wanted = Number(process.env.FUZZ_RUNS ?? 10_000);
  return Math.max(1, Math.floor((Number.isFinite(wanted) && wanted > 0 ? wanted : 10_000) / cost));
}

/** fast-check parameters for one property: the run count, and a seed from FUZZ_SEED to replay. */
export function fuzzParams(cost = 1): fc.Parameters<unknown> {
  const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
  return { numRuns: fuzzRuns(cost), ...(seed === undefined ? {} : { seed }) };
}

/** Asserts that `run` either returns or throws an instance of one of the allowed error classes. */
export async function throwsOnly(run: () => unknown, allowed: readonly (abstract new (...args: never[]) => Error)[]): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!allowed.some((type) => error instanceof type)) throw error;
  }
}
