import { truncate, visibleLength } from './style.js';

/** One column of a table: its header and whether it may be cut to fit the terminal. */
export interface Column {
  header: string;
  /** Cells are right-aligned (numbers). */
  align?: 'left' | 'right';
  /** May be shortened (with `…`) when the table is wider than the terminal; ids never are. */
  shrink?: boolean;
}

/**
 * Renders rows as an aligned text table. With `width` (the terminal's), shrinkable columns are cut,
 * widest first, until the table fits; without it (output piped to a file) nothing is cut.
 */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[], options: { width?: number; header?: (s: string) => string } = {}): string {
  const widths = columns.map((c, i) => Math.max(visibleLength(c.header), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const gap = 2;
  if (options.width !== undefined && options.width > 0) {
    const total = (): number => widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
    const min = 8;
    while (total() > options.width) {
      let widest = -1;
      for (let i = 0; i < columns.length; i++) {
        if (columns[i]?.shrink && (widths[i] as number) > min && (widest < 0 || (widths[i] as number) > (widths[widest] as number))) widest = i;
      }
      if (widest < 0) break;
      widths[widest] = Math.max(min, (widths[widest] as number) - (total() - options.width));
    }
  }
  const line = (cells: readonly string[], header = false): string =>
    columns
      .map((c, i) => {
        const w = widths[i] as number;
        const cell = truncate(cells[i] ?? '', w);
        const pad = ' '.repeat(Math.max(0, w - visibleLength(cell)));
        const text = c.align === 'right' ? pad + cell : cell + (i === columns.length - 1 ? '' : pad);
        return header && options.header ? options.header(text) : text;
      })
      .join(' '.repeat(gap))
      .trimEnd();
  return [line(columns.map((c) => c.header), true), ...rows.map((r) => line(r))].join('\n') + '\n';
}

/** Renders `key: value` pairs, keys aligned. */
export function renderPairs(pairs: readonly (readonly [string, string])[], options: { key?: (s: string) => string } = {}): string {
  const width = Math.max(0, ...pairs.map(([k]) => visibleLength(k)));
  const key = options.key ?? ((s: string) => s);
  return pairs.map(([k, v]) => `${key(k.padEnd(width))}  ${v}`).join('\n') + '\n';
}
