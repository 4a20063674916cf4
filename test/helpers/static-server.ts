// A folder served the way a user checks a published site: python3 -m http.server on loopback.
// Its request log (stderr) is kept, so tests can see which files a client fetched.
import { spawn } from 'node:child_process';

export interface StaticServer {
  url: string;
  /** Request log lines so far. */
  log: () => string[];
  close: () => Promise<void>;
}

export async function serveStatic(dir: string): Promise<StaticServer> {
  const child = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  child.stderr.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
  const port = await new Promise<number>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`http.server did not start: ${out}`)), 15_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /port (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(Number(m[1]));
      }
    });
    child.on('exit', (code) => fail(new Error(`http.server exited (${code}): ${out}${lines.join('\n')}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => [...lines],
    close: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill();
      }),
  };
}
