const REDACTED = '[REDACTED]';

const SENSITIVE_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-auth-token']);
const SENSITIVE_QUERY = /(token|secret|password|passwd|key|signature|sig|auth|credential|session)/i;

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

/**
 * Copies headers for an event, with the values of credential headers (and of any header the
 * caller marked sensitive) replaced by `[REDACTED]`.
 */
export function redactHeaders(headers: Record<string, string>, extraSensitive?: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    out[name] = SENSITIVE_HEADERS.has(lower) || extraSensitive?.has(lower) ? REDACTED : value;
  }
  return out;
}

/**
 * Removes every occurrence of the given secrets from a text (an error message or body echoed by a
 * proxy), so credentials cannot leak through server answers that repeat the request.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}
