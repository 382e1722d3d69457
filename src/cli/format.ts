import type { TaskCounts } from 'flink-client';

/** An epoch-ms timestamp as local `YYYY-MM-DD HH:MM:SS`, or `-` for Flink's "not yet" (-1, 0). */
export function formatTime(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || ms <= 0) return '-';
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A duration in ms as `3d4h`, `2h05m`, `4m12s`, `12s`; `-` when unknown. */
export function formatDuration(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || ms < 0) return '-';
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `${d}d${h}h`;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** Task counts as `running/total`, plus any failed or canceling ones. */
export function formatTasks(tasks: TaskCounts | Record<string, number>): string {
  // Job overviews count tasks in lower case (`running`), vertices by ExecutionState (`RUNNING`).
  const t: Record<string, number> = {};
  for (const [k, v] of Object.entries(tasks)) t[k.toLowerCase()] = (t[k.toLowerCase()] ?? 0) + v;
  const total = t.total ?? Object.values(t).reduce((a, b) => a + b, 0);
  const extra = ['failed', 'canceling', 'deploying', 'initializing', 'scheduled', 'created']
    .filter((k) => (t[k] ?? 0) > 0)
    .map((k) => `${t[k]} ${k}`);
  return `${t.running ?? 0}/${total}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

/** Bytes as `1.2 MiB` (Flink reports sizes in bytes). */
export function formatSize(bytes: number | undefined): string {
  if (bytes === undefined || bytes < 0) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}
