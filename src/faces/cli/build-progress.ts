import { type Command, Option } from 'commander';
import type { BuildEvent } from '../../session/index.js';
import { type CliContext, warn } from './context.js';
import { positive } from './executor-setup.js';

/**
 * What a long build says while it runs, on stderr (stdout stays the command's output): the live
 * log's path when an attempt starts, and a heartbeat every --heartbeat seconds with the phase,
 * the time so far and the log's last line. `text` lines for people (the default), `json` lines
 * for tools (the default with --json, so stdout stays one JSON document), or `none`.
 */
export type ProgressMode = 'text' | 'json' | 'none';

export interface ProgressFlags {
  progress?: ProgressMode;
  heartbeat?: string;
}

export function addProgressOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--progress <mode>', 'progress on stderr while building: text, json (JSON lines) or none (default: text; json with --json)').choices([
        'text',
        'json',
        'none',
      ]),
    )
    .option('--heartbeat <seconds>', 'seconds between progress lines while an attempt runs', '30');
}

export function progressMode(o: ProgressFlags & { json?: boolean }): ProgressMode {
  return o.progress ?? (o.json ? 'json' : 'text');
}

export function heartbeatMs(o: ProgressFlags): number {
  return Math.round(positive(o.heartbeat ?? '30', '--heartbeat') * 1000);
}

/** The progress lines of one build event, or nothing for events that are not progress. */
export function progressLine(mode: ProgressMode, unitId: string, e: BuildEvent): string | undefined {
  if (mode === 'none') return undefined;
  if (e.type !== 'attempt-start' && e.type !== 'heartbeat') return undefined;
  if (mode === 'json') {
    return JSON.stringify(
      e.type === 'attempt-start'
        ? { event: 'attempt-start', unit: unitId, attempt: e.n, hints: e.hints, log: e.log }
        : { event: 'heartbeat', unit: unitId, attempt: e.n, phase: e.phase, elapsedSeconds: Math.round(e.elapsedMs / 1000), lastLine: e.lastLine },
    );
  }
  if (e.type === 'attempt-start') return `${unitId}: attempt ${e.n}${e.hints.length ? ` with hints ${e.hints.join(', ')}` : ''}; live log: ${e.log}`;
  return `${unitId}: attempt ${e.n}, ${e.phase}, ${clock(e.elapsedMs)}${e.lastLine ? `: ${e.lastLine}` : ''}`;
}

export function printProgress(ctx: CliContext, mode: ProgressMode, unitId: string, e: BuildEvent): boolean {
  const line = progressLine(mode, unitId, e);
  if (line !== undefined) warn(ctx, line);
  return line !== undefined;
}

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
