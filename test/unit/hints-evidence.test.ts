import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorLines, EVIDENCE_LINE_CHARS, EVIDENCE_LINES } from '../../src/domain/hints/evidence.js';
import { repoRoot } from '../helpers/pytools.js';

const log = (name: string) => readFileSync(join(repoRoot, 'test', 'fixtures', 'logs', name), 'utf8');

describe('evidence lines of an unclassified failure', () => {
  it("a real log: the error itself, not pip's framing around it", () => {
    const lines = errorLines(log('negative-broken-setup-0.1.log'));
    expect(lines).toContain("NameError: name 'modules_list' is not defined");
    for (const l of lines) expect(l).not.toMatch(/subprocess-exited-with-error|This error originates|metadata-generation-failed|Traceback/);
  });

  it("the triplet compiler's real message is kept (ujson 5.10.0 without g++)", () => {
    expect(errorLines(log('ujson-5.10.0-no-cxx.log'))).toContain("error: [Errno 2] No such file or directory: 's390x-linux-gnu-g++'");
  });

  it('hostile log text: control characters and ANSI escapes dropped, lines cut, few of them, no duplicates', () => {
    const noisy = [
      '\x1b[31merror: red\x1b[0m',
      `fatal: ${'x'.repeat(5000)}`,
      'error: bell\x07 and NUL\x00 here',
      ...Array.from({ length: 50 }, (_, i) => `error: line ${i}`),
      'error: line 49',
    ].join('\n');
    const lines = errorLines(noisy);
    expect(lines).toHaveLength(EVIDENCE_LINES);
    expect(lines.at(-1)).toBe('error: line 49');
    expect(new Set(lines).size).toBe(lines.length);
    for (const l of errorLines(noisy, 100)) {
      expect(l.length).toBeLessThanOrEqual(EVIDENCE_LINE_CHARS);
      expect(l).not.toMatch(/[\x00-\x1f\x7f]/);
    }
    expect(errorLines(noisy, 100)).toContain('error: red');
  });
});
