import type { Logger } from './client-options.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/**
 * The logger a client uses: the one given, else a console logger when the environment variable
 * `FLINK_CLIENT_LOG` names a level (`debug`, `info`, `warn`, `error`; it logs from that level up),
 * else none (nothing is logged by default).
 */
export function resolveLogger(given: Logger | undefined, env: NodeJS.ProcessEnv = process.env): Logger | undefined {
  if (given) return given;
  const wanted = env.FLINK_CLIENT_LOG?.trim().toLowerCase();
  const from = LEVELS.indexOf(wanted as (typeof LEVELS)[number]);
  if (from < 0) return undefined;
  const write = (level: (typeof LEVELS)[number]) => (message: string, fields?: Record<string, unknown>) => {
    if (LEVELS.indexOf(level) < from) return;
    console[level](`flink-client ${level}: ${message}${fields ? ` ${safeJson(fields)}` : ''}`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

function safeJson(fields: Record<string, unknown>): string {
  try {
    return JSON.stringify(fields);
  } catch {
    return '[unserializable fields]';
  }
}
