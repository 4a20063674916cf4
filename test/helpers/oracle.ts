import { run } from '../../src/adapters/process.js';
import { pytoolsBin } from './pytools.js';

/**
 * Run a Python script in the test venv (packaging is the oracle) with `input` as JSON on stdin and
 * parse its stdout as JSON. One process per call: batch every case of a test file into one call.
 */
export async function runOracle<T>(script: string, input: unknown): Promise<T> {
  const python = pytoolsBin('python');
  const result = await run(python, ['-c', script], { input: JSON.stringify(input), timeoutMs: 120_000 });
  if (result.exitCode !== 0) {
    throw new Error(`oracle script failed (exit ${result.exitCode}):\n${result.stderr}`);
  }
  return JSON.parse(result.stdout) as T;
}
