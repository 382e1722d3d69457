/** Colour for terminals: on only for a TTY, off with `--no-color` or `NO_COLOR`, forced with `FORCE_COLOR`. */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  /** A job, application or operation state in the colour operators expect (green running, red failed...). */
  state(state: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

/** Decides whether to colour a stream and returns the matching style. */
export function createStyle(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>, colorFlag: boolean): Style {
  // As no-color.org and most tools read them: set and non-empty counts, NO_COLOR wins.
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0';
  const enabled = colorFlag && !noColor && (forced || (stream.isTTY === true && env.TERM !== 'dumb'));
  const id = (text: string): string => text;
  const bold = enabled ? wrap(1, 22) : id;
  const dim = enabled ? wrap(2, 22) : id;
  const red = enabled ? wrap(31, 39) : id;
  const green = enabled ? wrap(32, 39) : id;
  const yellow = enabled ? wrap(33, 39) : id;
  const cyan = enabled ? wrap(36, 39) : id;
  const state = (s: string): string => {
    if (/^(RUNNING|SUCCEEDED|COMPLETED)$/.test(s)) return green(s);
    if (/^(FAILED|FAILING)$/.test(s)) return red(s);
    if (/^(CANCELED|CANCELLING|CANCELING|SUSPENDED|RESTARTING|IN_PROGRESS)$/.test(s)) return yellow(s);
    if (/^(FINISHED)$/.test(s)) return cyan(s);
    return s;
  };
  return { enabled, bold, dim, red, green, yellow, cyan, state };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** The printed width of a string: ANSI colour codes take no room. */
export function visibleLength(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/** Cuts a (possibly coloured) string to `width` printed characters, ending in `…` when cut. */
export function truncate(text: string, width: number): string {
  if (visibleLength(text) <= width) return text;
  const plain = [...text.replace(ANSI, '')];
  return width <= 1 ? plain.slice(0, width).join('') : `${plain.slice(0, width - 1).join('')}…`;
}
