/**
 * Evidence for a hint that does not exist yet: the lines of a failed build's log that look like
 * its error, kept with an unclassified attempt (result, history, dashboard) so someone can write
 * the pattern without the log. Log text is the package's output: control characters and ANSI
 * escapes are dropped, lines are cut short, and there are few of them.
 */
export const ERRORISH =
  /\b(error|fatal|failed|cannot|could not|not found|no such file|undefined reference|unrecognized|unsupported|requires?)\b|\w(Error|Exception)\b/i;
// pip's and setuptools' own framing: true of every failure, evidence of none.
const BOILERPLATE = [
  /error: subprocess-exited-with-error/i,
  /note: This error originates from a subprocess/i,
  /ERROR: Failed (building wheel|to build)/i,
  /^\s*Failed to build /i,
  /error: metadata-generation-failed/i,
  /Encountered error while generating package metadata/i,
  /exit code: \d+/i,
  /^\s*[│|]?\s*(File ".*", line \d+|Traceback \(most recent call last\))/,
  /finished with status 'error'/,
  /See above for (output|details)/i,
  /This is an issue with the package mentioned above/i,
  /\[end of output\]/i,
  /^[×╰╭│|]/,
  /^(note|hint): /i,
];

/** When no line looks like an error, the last lines of the package's own output before pip's framing. */
const TAIL_LINES = 3;

export const EVIDENCE_LINES = 8;
export const EVIDENCE_LINE_CHARS = 300;

export function errorLines(log: string, max = EVIDENCE_LINES): string[] {
  const errorish: string[] = [];
  const plain: string[] = [];
  for (const raw of log.split('\n')) {
    const line = raw
      .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
      .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')
      .trim();
    if (!line || BOILERPLATE.some((b) => b.test(line)) || line.startsWith('[refinery]') || line.startsWith('=====')) continue;
    const cut = line.length > EVIDENCE_LINE_CHARS ? `${line.slice(0, EVIDENCE_LINE_CHARS - 1)}…` : line;
    const into = ERRORISH.test(line) ? errorish : plain;
    if (!into.includes(cut)) into.push(cut);
  }
  // The last lines are nearest the failure; the first real error is usually among them.
  return errorish.length > 0 ? errorish.slice(-max) : plain.slice(-Math.min(TAIL_LINES, max));
}
