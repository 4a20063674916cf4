import { describe, expect, it } from 'vitest';
import { pipIndexConfig } from '../../src/stages/builder/pip-config.js';

describe('pipIndexConfig: where pip inside a build takes build requirements from', () => {
  it('is nothing for PyPI alone (pip default), with or without a trailing slash', () => {
    expect(pipIndexConfig([])).toBeUndefined();
    expect(pipIndexConfig([{ url: 'https://pypi.org/simple' }])).toBeUndefined();
    expect(pipIndexConfig([{ url: 'https://pypi.org/simple/' }])).toBeUndefined();
  });

  it('names the primary and the extras, credentials in the URLs, encoded', () => {
    const text = pipIndexConfig([
      { url: 'https://mirror.example/simple/', auth: { kind: 'basic', username: 'ci@corp', password: 'p%ss:w/rd' } },
      { url: 'https://pypi.org/simple/' },
      { url: 'https://tokens.example/simple/', auth: { kind: 'bearer', token: 'tok en' } },
    ])!;
    expect(text).toBe(
      [
        '[global]',
        'index-url = https://ci%40corp:p%25ss%3Aw%2Frd@mirror.example/simple/',
        'extra-index-url =',
        '    https://pypi.org/simple/',
        '    https://__token__:tok%20en@tokens.example/simple/',
        '',
      ].join('\n'),
    );
  });

  it('points pip elsewhere when PyPI is only an extra or carries credentials', () => {
    expect(pipIndexConfig([{ url: 'https://pypi.org/simple', auth: { kind: 'bearer', token: 't' } }])).toContain('__token__:t@pypi.org');
    expect(pipIndexConfig([{ url: 'http://127.0.0.1:9/simple/' }, { url: 'https://pypi.org/simple/' }])).toContain('index-url = http://127.0.0.1:9/simple/');
  });
});
