import { ms } from '../../domain/state/canonical.js';
import type { SiteViews } from './views.js';

/**
 * metrics.txt in the Prometheus text exposition format (0.0.4), for a scrape through Pages or a
 * node_exporter textfile collector. Values come from the state only, so the file is the same for
 * the same state.
 */

const BUCKETS_S = [60, 300, 600, 1800, 3600, 7200, 14400];

function label(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export function metricsText(v: SiteViews): string {
  const out: string[] = [];
  const metric = (name: string, type: string, help: string, samples: Array<[Record<string, string>, number]>) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const l = Object.entries(labels)
        .map(([k, x]) => `${k}="${label(x)}"`)
        .join(',');
      out.push(`${name}${l ? `{${l}}` : ''} ${Number.isInteger(value) ? value : value.toFixed(3)}`);
    }
  };
  metric('refinery_queue_depth', 'gauge', 'Retry queue entries by status.', [
    [{ status: 'waiting' }, v.queue.waiting],
    [{ status: 'gave-up' }, v.queue.gaveUp],
  ]);
  if (v.queue.next)
    metric('refinery_queue_next_due_timestamp_seconds', 'gauge', 'When the next waiting queue entry is due (Unix time).', [
      [{}, ms(v.queue.next.nextEligibleAt) / 1000],
    ]);
  const builds = new Map<string, number>();
  const durations: number[] = [];
  for (const p of v.packages) {
    for (const r of p.runs) {
      const last = r.attempts[r.attempts.length - 1]!;
      const key = `${r.outcome}\u0000${r.outcome === 'failure' ? (last.failureClass ?? 'unclassified') : ''}`;
      builds.set(key, (builds.get(key) ?? 0) + 1);
      durations.push(r.attempts.reduce((s, a) => s + a.durationMs, 0) / 1000);
    }
  }
  metric(
    'refinery_builds_total',
    'counter',
    'Build runs by outcome and, for failures, the final failure class.',
    [...builds.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, n]) => {
        const [status, cls] = k.split('\u0000') as [string, string];
        return [{ status, class: cls }, n];
      }),
  );
  out.push('# HELP refinery_build_duration_seconds Wall time of build runs (all attempts).', '# TYPE refinery_build_duration_seconds histogram');
  for (const b of BUCKETS_S) out.push(`refinery_build_duration_seconds_bucket{le="${b}"} ${durations.filter((d) => d <= b).length}`);
  out.push(`refinery_build_duration_seconds_bucket{le="+Inf"} ${durations.length}`);
  out.push(`refinery_build_duration_seconds_sum ${durations.reduce((s, d) => s + d, 0).toFixed(3)}`);
  out.push(`refinery_build_duration_seconds_count ${durations.length}`);
  metric('refinery_wheels', 'gauge', 'Wheels in the manifest (distinct file names).', [[{}, v.wheels]]);
  metric('refinery_attempts', 'gauge', 'Build attempts recorded.', [[{}, v.attempts]]);
  metric('refinery_packages', 'gauge', 'Packages in the state.', [[{}, v.packages.length]]);
  metric(
    'refinery_hint_successes_total',
    'counter',
    'Runs a hint made succeed after a failure without it.',
    v.hints.filter((h) => h.successes > 0).map((h) => [{ hint: h.id }, h.successes]),
  );
  metric(
    'refinery_hint_matches_total',
    'counter',
    'Failed attempts whose log a hint matched.',
    v.hints.filter((h) => h.matches > 0).map((h) => [{ hint: h.id }, h.matches]),
  );
  if (v.lastRecordAt)
    metric('refinery_last_record_timestamp_seconds', 'gauge', 'Newest attempt or build time in the state (Unix time).', [[{}, ms(v.lastRecordAt) / 1000]]);
  return `${out.join('\n')}\n`;
}
