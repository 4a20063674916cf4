import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseStoreSpec } from '../../src/domain/storage/index.js';
import { RefineryError } from '../../src/errors.js';
import { collect } from '../../src/faces/cli/options.js';
import { runCli } from '../helpers/cli.js';

describe('store specs, one grammar for record, run, publish and the actions', () => {
  it('reads none, local:DIR (resolved against the working folder) and release:TAG', () => {
    expect(parseStoreSpec('none', '/work')).toEqual({ kind: 'none' });
    expect(parseStoreSpec('local:wheels', '/work')).toEqual({ kind: 'local', dir: '/work/wheels' });
    expect(parseStoreSpec('local:/abs/w', '/work')).toEqual({ kind: 'local', dir: '/abs/w' });
    expect(parseStoreSpec('release:wheels-v1', '/work')).toEqual({ kind: 'release', tag: 'wheels-v1' });
  });

  it('refuses an empty value, an unknown kind and a kind the caller cannot use, listing the forms it can', () => {
    const err = (spec: string, kinds?: Parameters<typeof parseStoreSpec>[2], fix?: string) => {
      try {
        parseStoreSpec(spec, '/work', kinds, fix);
      } catch (e) {
        expect(e).toBeInstanceOf(RefineryError);
        return e as RefineryError;
      }
      throw new Error(`accepted ${spec}`);
    };
    expect(err('local:').message).toBe('store local:: expected none, local:DIR or release:TAG');
    expect(err('s3:bucket', ['none', 'local']).message).toBe('store s3:bucket: expected none or local:DIR');
    expect(err('none:x').code).toBe('usage');
    // Anything but a plain spec is shown escaped.
    expect(err('local\u001b[2J').message).toBe('store "local\\u001b[2J": expected none, local:DIR or release:TAG');
    expect(err('release:v1', ['local', 'none'], 'publish links release assets')).toMatchObject({
      message: 'store release:v1: expected local:DIR or none',
      fix: 'publish links release assets',
    });
  });

  it('is what record, run and publish say when it is wrong', async () => {
    const record = await runCli(['record', '--results', '.', '--store', 'local:']);
    expect(record.stderr).toContain('store local:: expected none, local:DIR or release:TAG');
    const publish = await runCli(['publish', '--out', 'site', '--store', 'release:v1']);
    expect(publish.stderr).toContain('store release:v1: expected none or local:DIR');
    expect(publish.stderr).toContain('only a local store needs the flag');
  });
});

describe('collect', () => {
  it('keeps every value of a repeatable option, in order', () => {
    const cmd = new Command().exitOverride().option('--hints <file>', 'repeatable', collect);
    cmd.parse(['--hints', 'a.yml', '--hints', 'b.yml'], { from: 'user' });
    expect(cmd.opts().hints).toEqual(['a.yml', 'b.yml']);
  });
});
