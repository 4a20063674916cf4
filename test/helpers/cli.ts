import { Writable } from 'node:stream';
import { main } from '../../src/faces/cli/main.js';
import type { CliContext } from '../../src/faces/cli/context.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

class Buffer_ extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/** Run the CLI in-process with captured output, as a user in `cwd` with `env` would. */
export async function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliRun> {
  const stdout = new Buffer_();
  const stderr = new Buffer_();
  const ctx: CliContext = {
    cwd: opts.cwd ?? process.cwd(),
    env: { ...process.env, ...opts.env },
    stdout,
    stderr,
    interactive: false,
  };
  const code = await main(args, ctx);
  return { code, stdout: stdout.text, stderr: stderr.text };
}
