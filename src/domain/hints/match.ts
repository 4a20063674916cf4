import type { FailureClass } from '../model/result.js';
import type { Hint, HintCatalog } from './schema.js';

export interface HintMatch {
  hint: string;
  class: FailureClass;
  priority: number;
  /** The log line the first matching pattern hit (trimmed, at most 300 chars). */
  line: string;
  /** 1-based line number in the log. */
  lineNumber: number;
  pattern: string;
}

/** Only the tail of huge logs is searched: failures are reported at the end, and regexes stay fast. */
const MAX_LOG_CHARS = 2_000_000;

/**
 * Every hint whose pattern occurs in the log (for the failed phase, when known), best first:
 * higher priority, then the match nearer the end of the log (closer to the real failure), then
 * catalog order.
 */
export function matchLog(catalog: HintCatalog, log: string, phase?: string): HintMatch[] {
  const text = log.length > MAX_LOG_CHARS ? log.slice(-MAX_LOG_CHARS) : log;
  const found: Array<HintMatch & { offset: number; order: number }> = [];
  catalog.hints.forEach((hint, order) => {
    const m = firstMatch(hint, text, phase);
    if (m) found.push({ ...m, order });
  });
  found.sort((a, b) => b.priority - a.priority || b.offset - a.offset || a.order - b.order);
  return found.map(({ offset: _o, order: _r, ...m }) => m);
}

function firstMatch(hint: Hint, text: string, phase: string | undefined): (HintMatch & { offset: number }) | undefined {
  let best: (HintMatch & { offset: number }) | undefined;
  for (const m of hint.match) {
    if (phase !== undefined && m.stage !== 'any' && m.stage !== phase) continue;
    const re = new RegExp(m.pattern, m.ignoreCase ? 'gim' : 'gm');
    let last: RegExpExecArray | null = null;
    // The last occurrence: the failure summary is at the end.
    for (let r = re.exec(text); r !== null; r = re.exec(text)) {
      last = r;
      if (r[0].length === 0) re.lastIndex++;
    }
    if (!last) continue;
    if (best && best.offset >= last.index) continue;
    const lineStart = text.lastIndexOf('\n', last.index) + 1;
    const lineEndRaw = text.indexOf('\n', last.index);
    const lineEnd = lineEndRaw === -1 ? text.length : lineEndRaw;
    best = {
      hint: hint.id,
      class: hint.class,
      priority: hint.priority,
      line: text.slice(lineStart, lineEnd).trim().slice(0, 300),
      lineNumber: countLines(text, lineStart),
      pattern: m.pattern,
      offset: last.index,
    };
  }
  return best;
}

function countLines(text: string, upTo: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < upTo; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
