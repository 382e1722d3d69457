const REDACTED = '[REDACTED]';

/** Header names whose values are credentials, whatever the name pattern below says. */
const SENSITIVE_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'apikey',
  'x-auth-token',
  'x-access-token',
  'x-csrf-token',
  'x-xsrf-token',
  'x-amz-security-token',
  'x-goog-api-key',
]);

/** Names that look like they carry a credential: `X-Gateway-Key`, `X-Session-Token`, `X-Client-Secret`. */
const SENSITIVE_HEADER_PATTERN = /(^|[-_])(auth|authorization|token|key|secret|password|passwd|session|cookie|credentials?|signature|jwt)($|[-_])/i;

const SENSITIVE_QUERY = /(token|secret|password|passwd|key|signature|sig|auth|credential|session)/i;

/**
 * Whether a header's value must never be shown: a built-in list of credential headers, any name
 * that looks like one (`...-key`, `...-token`, `...-secret`), and the names the user marked.
 */
export function isSensitiveHeader(name: string, extra?: ReadonlySet<string>): boolean {
  const lower = name.toLowerCase();
  return SENSITIVE_HEADERS.has(lower) || SENSITIVE_HEADER_PATTERN.test(lower) || (extra?.has(lower) ?? false);
}

/**
 * Returns the URL with userinfo removed and the values of sensitive-looking query parameters
 * replaced, for use in errors and events.
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return '[unparseable URL]';
  }
  if (parsed.username || parsed.password) {
    parsed.username = '';
    parsed.password = '';
  }
  for (const name of [...parsed.searchParams.keys()]) {
    if (SENSITIVE_QUERY.test(name)) parsed.searchParams.set(name, REDACTED);
  }
  return parsed.toString();
}

/** Copies headers for an event or a log line, with the values of sensitive headers replaced by `[REDACTED]`. */
export function redactHeaders(headers: Record<string, string>, extraSensitive?: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = isSensitiveHeader(name, extraSensitive) ? REDACTED : value;
  return out;
}

/** Secrets shorter than this are not scrubbed: replacing every "ab" in a text would make it unreadable. */
const MIN_SECRET_LENGTH = 3;

/**
 * The secrets a client must never let out (passwords, tokens, credential header values), and the
 * forms a server might echo them in: as sent, without an auth scheme prefix, JSON-escaped and
 * URL-encoded. Everything the SDK keeps from a response (error bodies, error lines, transport
 * error messages) passes through {@link SecretSet.scrub} before it is stored.
 */
export class SecretSet {
  readonly #forms = new Set<string>();
  #sorted: string[] | undefined;

  /** Adds a secret value (a header value such as `Bearer abc` also adds `abc`). */
  add(value: string | undefined): this {
    if (!value) return this;
    const scheme = /^(Bearer|Basic|Token|Digest|ApiKey)\s+(.+)$/i.exec(value);
    for (const v of scheme ? [value, scheme[2] as string] : [value]) {
      if (v.length < MIN_SECRET_LENGTH) continue;
      this.#forms.add(v);
      this.#forms.add(JSON.stringify(v).slice(1, -1));
      this.#forms.add(encodeURIComponent(v));
    }
    this.#sorted = undefined;
    return this;
  }

  /** Removes a secret added before (a rotated token that aged out). */
  delete(value: string): void {
    for (const v of [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) this.#forms.delete(v);
    this.#sorted = undefined;
  }

  /** Whether there is nothing to scrub. */
  get empty(): boolean {
    return this.#forms.size === 0;
  }

  /** A copy with more secrets, for one call's own headers. */
  with(values: readonly (string | undefined)[]): SecretSet {
    const copy = new SecretSet();
    for (const form of this.#forms) copy.#forms.add(form);
    for (const v of values) copy.add(v);
    return copy;
  }

  /** The text with every form of every secret replaced by `[REDACTED]`. */
  scrub(text: string): string {
    if (this.#forms.size === 0 || text.length === 0) return text;
    // Longest first, so a secret is not left half-replaced by a shorter form of it.
    this.#sorted ??= [...this.#forms].sort((a, b) => b.length - a.length);
    let out = text;
    for (const form of this.#sorted) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  }
}

/** Removes every occurrence of the given secrets from a text. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  const set = new SecretSet();
  for (const s of secrets) set.add(s);
  return set.scrub(text);
}
