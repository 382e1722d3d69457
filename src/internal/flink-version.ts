/**
 * Whether a Flink version string (`2.3.0`, `2.4-SNAPSHOT`, `1.20.5`) is at least `minimum`
 * (`2.3`). Compares major and minor only: features arrive with minor releases. An unparseable
 * version counts as new, so a custom build is not locked out of features it likely has.
 */
export function versionAtLeast(version: string, minimum: string): boolean {
  const parse = (v: string): [number, number] | undefined => {
    const m = /^(\d+)\.(\d+)/.exec(v.trim());
    return m ? [Number(m[1]), Number(m[2])] : undefined;
  };
  const have = parse(version);
  const want = parse(minimum);
  if (!have || !want) return true;
  return have[0] !== want[0] ? have[0] > want[0] : have[1] >= want[1];
}

/** The first Flink version with the application endpoints (FLIP-549). */
export const APPLICATIONS_SINCE = '2.3';

/** The first Flink version with the rescale history endpoints (FLIP-495). */
export const RESCALES_SINCE = '2.3';
