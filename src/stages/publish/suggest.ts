import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { HistoryEntry, KnownFailing } from '../../domain/state/schema.js';

/**
 * "Suggest a fix": for a failure no hint has a remedy for, a hint catalog snippet built from the
 * evidence (the failing attempt's class and phase, and the log lines that look like the cause when
 * the logs are at hand), and a link that opens it as a new file in the user's repository on GitHub
 * (`/new/<branch>?filename=...&value=...`), so the fix becomes a pull request without a server.
 */

export interface SuggestOptions {
  /** owner/name of the repository the link opens the file in. */
  repo?: string;
  branch?: string;
  /** Path of the new file; `{package}` is replaced by the package name. */
  path?: string;
  /** Folder with the build results and their logs (`record --results`), to read log evidence from. */
  logsDir?: string;
  /** GitHub's web root (GitHub Enterprise Server: its host). */
  serverUrl?: string;
}

export interface Suggestion {
  snippet: string;
  filename: string;
  /** Absent without a repository. */
  url?: string;
  evidence: string[];
}

const CAUSE = /(error|fatal|not found|No such file|cannot find|undefined reference|unable to|could not|missing)/i;
const MAX_EVIDENCE = 3;
/** GitHub refuses very long URLs; the snippet stays well under. */
const MAX_LINE = 160;

export async function suggestFix(name: string, k: KnownFailing, attempt: HistoryEntry | undefined, o: SuggestOptions): Promise<Suggestion> {
  const evidence = attempt?.log && o.logsDir ? await logEvidence(o.logsDir, attempt.log) : [];
  const cls = k.failureClass && k.failureClass !== 'permanent' ? k.failureClass : 'missing-system-lib';
  const hint = {
    id: `${name}-${cls}`.slice(0, 60),
    class: cls,
    description: `${name} ${k.version} failed in ${k.phase ?? 'an unknown phase'} (${k.failureClass ?? 'unclassified'}) on preset ${k.preset}: say what is missing and why`,
    priority: 20,
    match: (evidence.length > 0 ? evidence : ['REPLACE with a line from the failing log']).map((line) => ({
      pattern: escapeRegex(line),
      ...(k.phase ? { stage: k.phase } : {}),
    })),
    remedy: { apt: { packages: ['REPLACE-with-the-missing-dev-package'] }, dnf: { packages: ['REPLACE-with-the-missing-devel-package'] } },
    source: `refinery publish: ${name} ${k.version}, unit ${k.unit}, run ${k.run} attempt ${k.attempt}`,
  };
  const snippet =
    `# A hint for ${name}: fill in the remedy, then pass this file with --hints (refinery build/run).\n` +
    `# Check it against the log with: refinery hints explain <log> --hints <this file>\n` +
    hintYaml(hint);
  const filename = (o.path ?? 'hints/{package}.yml').replaceAll('{package}', name);
  const url =
    o.repo && /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(o.repo)
      ? newFileUrl(o.serverUrl ?? 'https://github.com', o.repo, o.branch ?? 'main', filename, snippet)
      : undefined;
  return { snippet, filename, url, evidence };
}

export function newFileUrl(server: string, repo: string, branch: string, filename: string, value: string): string {
  const base = server.replace(/\/+$/, '');
  return `${base}/${repo}/new/${branch.split('/').map(encodeURIComponent).join('/')}?filename=${encodeURIComponent(filename)}&value=${encodeURIComponent(value)}`;
}

/** The last lines of the log that look like the cause; the log path must stay inside the logs folder. */
async function logEvidence(logsDir: string, log: string): Promise<string[]> {
  const root = resolve(logsDir);
  const abs = resolve(root, log);
  const rel = relative(root, abs);
  if (!rel || rel.startsWith('..') || log.includes('\0')) return [];
  const text = await readFile(abs, 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  const lines = text.slice(-200_000).split('\n');
  const found: string[] = [];
  for (let i = lines.length - 1; i >= 0 && found.length < MAX_EVIDENCE; i--) {
    // eslint-disable-next-line no-control-regex
    const line = lines[i]!.replace(/\x1b\[[0-9;]*m/g, '')
      .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')
      .trim();
    if (line.length >= 8 && CAUSE.test(line) && !found.includes(line)) found.push(line.slice(0, MAX_LINE));
  }
  return found.reverse();
}

/**
 * The snippet as YAML with every scalar written as a JSON string (valid YAML double-quoted
 * scalars): nothing from the state or a log can end a scalar or start a YAML construct. The yaml
 * library's stringify took most of a 2,000-package publish for this one fixed shape.
 */
function hintYaml(h: {
  id: string;
  class: string;
  description: string;
  priority: number;
  match: Array<{ pattern: string; stage?: string }>;
  remedy: { apt: { packages: string[] }; dnf: { packages: string[] } };
  source: string;
}): string {
  const q = JSON.stringify;
  const list = (xs: string[]) => `[${xs.map((x) => q(x)).join(', ')}]`;
  return [
    'version: 1',
    'hints:',
    `  - id: ${q(h.id)}`,
    `    class: ${q(h.class)}`,
    `    description: ${q(h.description)}`,
    `    priority: ${h.priority}`,
    '    match:',
    ...h.match.map((m) => `      - pattern: ${q(m.pattern)}${m.stage ? `\n        stage: ${q(m.stage)}` : ''}`),
    '    remedy:',
    `      apt: { packages: ${list(h.remedy.apt.packages)} }`,
    `      dnf: { packages: ${list(h.remedy.dnf.packages)} }`,
    `    source: ${q(h.source)}`,
    '',
  ].join('\n');
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
