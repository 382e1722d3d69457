/** Types of scripts/provision-flink.mjs, for TypeScript callers (tests, the demo). */
export declare const DEFAULT_VERSION: string;
export declare const OLDER_VERSION: string;
export declare const ALL_VERSIONS: string[];
export declare class ProvisionError extends Error {}
export declare function defaultCacheDir(): string;
export declare function checkJava(): { major: number; text: string };
export declare function provisionFlink(options?: {
  version?: string;
  cacheDir?: string;
  log?: (line: string) => void;
  checkJava?: boolean;
}): Promise<{ flinkHome: string; version: string }>;
/** Puts `flink-sql-gateway-<version>.jar` into `<flinkHome>/opt`; null when Maven Central publishes none for the version. */
export declare function provisionSqlGateway(options: { flinkHome: string; version: string; log?: (line: string) => void }): Promise<string | null>;
