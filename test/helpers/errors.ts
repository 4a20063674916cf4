import { expect } from 'vitest';
import { RefineryError } from '../../src/errors.js';

/** The RefineryError a promise rejects with (the test fails when it resolves or throws anything else). */
export async function errorOf(p: Promise<unknown>): Promise<RefineryError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RefineryError);
  return e as RefineryError;
}
