import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowlistedEnv } from '../../src/domain/executors/environment.js';
import { makeBackendSdist } from '../fixtures/sdists/crafted.js';
import { runCli } from '../helpers/cli.js';
import { pytoolsBin, requirePytools } from '../helpers/pytools.js';

// Host builds see an allowlisted environment, never the CLI's: the package's build code dumps
// os.environ and the test looks for every secret of the CLI's environment there and in the logs.
const havePy = requirePytools();
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'refinery-build-env-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const SECRETS = {
  GITHUB_TOKEN: 'ghp_refineryTestGithubToken0123456789',
  AWS_SECRET_ACCESS_KEY: 'aws-refinery-test-secret-key/0123456789',
  NPM_TOKEN: 'npm_refineryTestNpmToken0123456789',
  PRIVATE_INDEX_PASSWORD: 'idx-refinery-test-password-0123456789',
};

/** Build code that writes its environment and what it sees of pip's config to `dump`, and prints its environment (into the log). */
function dumper(dump: string): string {
  return `import json, os, stat
conf = os.environ.get("PIP_CONFIG_FILE")
seen = {"env": dict(os.environ), "pipConf": conf}
if conf and os.path.exists(conf):
    seen["pipConfMode"] = stat.S_IMODE(os.stat(conf).st_mode)
json.dump(seen, open(${JSON.stringify(dump)}, "w"))
for k, v in sorted(os.environ.items()):
    print(f"{k}={v}")
`;
}

async function buildWith(name: string, extraArgs: string[] = [], passEnv = false) {
  const dir = await mkdtemp(join(work, `${name}-`));
  const dump = join(dir, 'environ.json');
  const sdist = await makeBackendSdist(dir, name, dumper(dump));
  // An index with credentials from the environment: pip inside the build gets them in a private pip.conf.
  await writeFile(
    join(dir, 'refinery.yml'),
    `indexes:\n  primary: http://127.0.0.1:9/simple\n  primaryUsernameEnv: PRIVATE_INDEX_USER\n  primaryPasswordEnv: PRIVATE_INDEX_PASSWORD\n${passEnv ? 'build:\n  passEnv: [REFINERY_TEST_PASSED, PIP_NO_INDEX, PIP_NO_COMPILE]\n' : ''}`,
  );
  const out = join(dir, 'out');
  const r = await runCli(
    [
      'build',
      '--package',
      `${name}==0.1`,
      '--sdist',
      sdist,
      '--executor',
      'host',
      '--host-python',
      pytoolsBin('python'),
      '-o',
      out,
      '-c',
      join(dir, 'refinery.yml'),
      ...extraArgs,
    ],
    {
      cwd: dir,
      env: {
        ...SECRETS,
        PRIVATE_INDEX_USER: 'builder',
        REFINERY_TEST_PASSED: 'yes',
        PIP_NO_INDEX: '1',
        PIP_NO_COMPILE: '1',
        NO_PROXY: '127.0.0.1,localhost',
        LC_ALL: 'C.UTF-8',
        TMPDIR: tmpdir(),
      },
    },
  );
  const seen = JSON.parse(await readFile(dump, 'utf8')) as { env: Record<string, string>; pipConf?: string; pipConfMode?: number };
  const logs = readdirSync(out)
    .filter((f) => f.endsWith('.log'))
    .map((f) => join(out, f));
  return { r, seen, dir, out, logs };
}

// Real host builds (a venv and a pip wheel each).
describe.runIf(havePy)('the environment of host builds', { timeout: 240_000 }, () => {
  it('holds no token, key or index password of the CLI environment, in the build or its logs', async () => {
    const { r, seen, logs } = await buildWith('envdump');
    expect(r.code, r.stderr).toBe(0);
    for (const [name, value] of Object.entries(SECRETS)) {
      expect(seen.env[name], name).toBeUndefined();
      expect(JSON.stringify(seen.env), name).not.toContain(value);
      for (const log of logs) expect(await readFile(log, 'utf8'), `${name} in ${log}`).not.toContain(value);
      expect(r.stdout + r.stderr).not.toContain(value);
    }
    // What a build needs is there: PATH, HOME, locale, TMPDIR, NO_PROXY, and what the config names.
    // (pip puts its isolated build environment first)
    expect(seen.env.PATH!.endsWith(process.env.PATH!)).toBe(true);
    expect(seen.env.HOME).toBe(process.env.HOME);
    expect(seen.env).toMatchObject({ LC_ALL: 'C.UTF-8', TMPDIR: tmpdir(), NO_PROXY: '127.0.0.1,localhost' });
    // Not named in the config: not passed.
    expect(seen.env.REFINERY_TEST_PASSED).toBeUndefined();
    // pip skips work that changes nothing in the wheel (byte-compiling the isolated build env,
    // its own version check): PIP_NO_COMPILE=0 is how pip spells --no-compile in the environment.
    expect(seen.env).toMatchObject({ PIP_NO_COMPILE: '0', PIP_DISABLE_PIP_VERSION_CHECK: '1' });
    // The index credentials reach pip only through a file only this user can read...
    expect(seen.pipConf).toMatch(/pip\.conf$/);
    expect(seen.pipConfMode).toBe(0o600);
    // ...which is gone with the work folder.
    expect(existsSync(seen.pipConf!)).toBe(false);
  }, 120_000);

  it('build.passEnv passes the named variables; --keep-work-dir keeps the folder but not the pip.conf with the credentials', async () => {
    const { r, seen } = await buildWith('envkeep', ['--keep-work-dir'], true);
    expect(r.code, r.stderr).toBe(0);
    expect(seen.env).toMatchObject({ REFINERY_TEST_PASSED: 'yes', PIP_NO_INDEX: '1' });
    // A variable the config passes wins over the refinery's pip defaults.
    expect(seen.env.PIP_NO_COMPILE).toBe('1');
    expect(seen.env.GITHUB_TOKEN).toBeUndefined();
    const kept = seen.pipConf!.replace(/\/pip\.conf$/, '');
    expect(existsSync(kept)).toBe(true);
    expect(existsSync(seen.pipConf!)).toBe(false);
    await rm(kept, { recursive: true, force: true });
  }, 120_000);
});

describe('allowlistedEnv', () => {
  it('takes the basics, locale, proxies and CA bundles and the named variables, nothing else', () => {
    const env = allowlistedEnv(
      {
        PATH: '/bin',
        HOME: '/h',
        LANG: 'C',
        LC_CTYPE: 'C.UTF-8',
        TMPDIR: '/t',
        HTTPS_PROXY: 'http://p:3128',
        no_proxy: 'x',
        SSL_CERT_FILE: '/ca',
        PIP_CERT: '/ca2',
        GITHUB_TOKEN: 't',
        PIP_INDEX_URL: 'https://u:p@x/simple',
        CFLAGS: '-O2',
        UNSET: undefined,
      },
      ['CFLAGS'],
    );
    expect(env).toEqual({
      PATH: '/bin',
      HOME: '/h',
      LANG: 'C',
      LC_CTYPE: 'C.UTF-8',
      TMPDIR: '/t',
      HTTPS_PROXY: 'http://p:3128',
      no_proxy: 'x',
      SSL_CERT_FILE: '/ca',
      PIP_CERT: '/ca2',
      CFLAGS: '-O2',
    });
  });
});
