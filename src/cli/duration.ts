import { UsageError } from './exit-codes.js';

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Parses `500ms`, `30s`, `10m`, `1h` or a bare number of seconds into milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new UsageError(`${flag}: expected a duration such as 30s, 10m or 1h, got ${JSON.stringify(text)}`);
  const ms = Number(match[1]) * (UNITS[match[2] ?? 's'] as number);
  if (!Number.isFinite(ms) || ms <= 0) throw new UsageError(`${flag}: the duration must be more than zero`);
  return Math.round(ms);
}

/** `1.2 s`, `3 m 05 s`: an elapsed time for progress lines. */
export function formatElapsed(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} m ${String(Math.floor(s % 60)).padStart(2, '0')} s`;
}

/** `12.3 MiB`: a byte count for upload progress. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}
