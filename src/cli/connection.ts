import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { AuthOptions, ClusterClientOptions, TlsOptions } from 'flink-client';
import { UsageError } from './exit-codes.js';

/** The connection flags every command takes (see `flink-client --help`). */
export interface ConnectionFlags {
  url?: string[];
  context?: string;
  config?: string;
  token?: string;
  user?: string;
  password?: string;
  ca?: string;
  cert?: string;
  key?: string;
  insecure?: boolean;
}

/**
 * One named context of the contexts file (like a kubeconfig entry). Secrets can stay out of the file:
 * `tokenEnv` and `passwordEnv` name environment variables to read them from.
 */
export interface ContextEntry {
  url: string | string[];
  token?: string;
  tokenEnv?: string;
  user?: string;
  password?: string;
  passwordEnv?: string;
  ca?: string;
  cert?: string;
  key?: string;
  insecure?: boolean;
}

/** The contexts file: `{ "current": "prod", "contexts": { "prod": { "url": "https://..." } } }`. */
export interface ContextsFile {
  current?: string;
  contexts: Record<string, ContextEntry>;
}

/** The default contexts file: `$FLINK_CLIENT_CONFIG`, else `~/.config/flink-client/contexts.json`. */
export function defaultContextsPath(env: Readonly<Record<string, string | undefined>>): string {
  return env.FLINK_CLIENT_CONFIG ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'flink-client', 'contexts.json');
}

function readContexts(path: string, required: boolean): ContextsFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read the contexts file ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`the contexts file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  const file = parsed as ContextsFile;
  if (typeof parsed !== 'object' || parsed === null || typeof file.contexts !== 'object' || file.contexts === null) {
    throw new UsageError(`the contexts file ${path} needs a "contexts" object`);
  }
  return file;
}

const split = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Resolves the client options from, in order of precedence: flags, environment variables
 * (`FLINK_URL`, `FLINK_TOKEN`, `FLINK_USER`/`FLINK_PASSWORD`, `FLINK_CA`, `FLINK_CERT`, `FLINK_KEY`,
 * `FLINK_INSECURE`), the selected context, and `http://localhost:8081`.
 */
export function resolveConnection(flags: ConnectionFlags, env: Readonly<Record<string, string | undefined>>, cwd: string): Pick<ClusterClientOptions, 'url' | 'auth' | 'tls'> & { source: string } {
  const contextName = flags.context ?? env.FLINK_CONTEXT;
  const path = flags.config ?? defaultContextsPath(env);
  const file = readContexts(path, flags.config !== undefined || contextName !== undefined);
  let context: ContextEntry | undefined;
  const name = contextName ?? file?.current;
  if (name !== undefined) {
    context = file?.contexts[name];
    if (!context) throw new UsageError(`no context named ${JSON.stringify(name)} in ${path}`);
  }
  const relative = (p: string): string => (isAbsolute(p) ? p : resolve(cwd, p));
  const urls = flags.url?.flatMap(split) ?? (env.FLINK_URL ? split(env.FLINK_URL) : undefined) ?? (context ? [context.url].flat() : ['http://localhost:8081']);
  for (const u of urls) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw new UsageError(`--url: not a URL: ${JSON.stringify(u)}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--url: only http and https URLs, got ${JSON.stringify(u)}`);
  }
  const token = flags.token ?? env.FLINK_TOKEN ?? context?.token ?? (context?.tokenEnv ? env[context.tokenEnv] : undefined);
  const user = flags.user ?? env.FLINK_USER ?? context?.user;
  const password = flags.password ?? env.FLINK_PASSWORD ?? context?.password ?? (context?.passwordEnv ? env[context.passwordEnv] : undefined);
  if (token !== undefined && user !== undefined) throw new UsageError('give either a bearer token (--token, FLINK_TOKEN) or basic credentials (--user, FLINK_USER), not both');
  let auth: AuthOptions | undefined;
  if (token !== undefined) auth = { type: 'bearer', token };
  else if (user !== undefined) {
    if (password === undefined) throw new UsageError('--user needs a password: set FLINK_PASSWORD (or --password)');
    auth = { type: 'basic', username: user, password };
  }
  const read = (what: string, p: string | undefined): Buffer | undefined => {
    if (p === undefined) return undefined;
    try {
      return readFileSync(relative(p));
    } catch (err) {
      throw new UsageError(`cannot read the ${what} file ${p}: ${(err as Error).message}`);
    }
  };
  const ca = read('CA', flags.ca ?? env.FLINK_CA ?? context?.ca);
  const cert = read('client certificate', flags.cert ?? env.FLINK_CERT ?? context?.cert);
  const key = read('client key', flags.key ?? env.FLINK_KEY ?? context?.key);
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('a client certificate needs its key: give both --cert and --key');
  const insecure = flags.insecure === true || env.FLINK_INSECURE === '1' || env.FLINK_INSECURE === 'true' || context?.insecure === true;
  let tls: TlsOptions | undefined;
  if (ca || cert || insecure) {
    tls = {};
    if (ca) tls.ca = ca;
    if (cert && key) {
      tls.cert = cert;
      tls.key = key;
    }
    if (insecure) tls.rejectUnauthorized = false;
  }
  const source = flags.url ? 'flags' : env.FLINK_URL ? 'FLINK_URL' : context ? `context ${name}` : 'default';
  return { url: urls.length === 1 ? (urls[0] as string) : urls, ...(auth ? { auth } : {}), ...(tls ? { tls } : {}), source };
}
