import { z } from 'zod';

// One zod schema per public options type: the single definition of what each option accepts,
// checked at construction and on every call (src/options/check-options.ts turns its issues into
// FlinkArgumentErrors that name the option). Every number that becomes a timer is bounded here,
// so no option can turn into Node's 1 ms overflow timer.

/** The longest delay a Node timer can hold (2^31 − 1 ms, 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** A deadline in milliseconds: a positive number, or `Infinity` for none. Values above 24.8 days mean none. */
export const deadlineMs = z.union([z.number().positive(), z.literal(Infinity)], { error: 'expected a positive number of milliseconds, or Infinity' });

/** A delay in milliseconds that a timer will hold: 0 to 2^31 − 1. */
export const delayMs = z.number({ error: 'expected a number of milliseconds' }).min(0).max(MAX_TIMER_MS);

/** A positive delay in milliseconds that a timer will hold. */
export const positiveDelayMs = z.number({ error: 'expected a positive number of milliseconds' }).positive().max(MAX_TIMER_MS);

/** How many retries: 0 to 100 (each one may wait up to the backoff cap). */
export const retryCount = z.number({ error: 'expected a whole number from 0 to 100' }).int().min(0).max(100);

/** An RFC 9110 field name (a token). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A field value Node can send: no CR, LF, NUL or other control characters but tab; Latin-1 only. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export const headerName = z.string().regex(HEADER_NAME, { error: 'expected an HTTP header name (letters, digits and !#$%&\'*+-.^_`|~)' });

/** Extra request headers: names are tokens, values single-line Latin-1 text. */
export const headers = z.record(headerName, z.string().regex(HEADER_VALUE, { error: 'expected a header value without CR, LF or other control characters' }), {
  error: 'expected an object of header names to string values',
});

/** An AbortSignal (duck-typed, so a signal from another realm or polyfill is accepted). */
export const abortSignal = z.custom<AbortSignal>(
  (v) => typeof v === 'object' && v !== null && typeof (v as AbortSignal).aborted === 'boolean' && typeof (v as AbortSignal).addEventListener === 'function',
  { error: 'expected an AbortSignal' },
);

const pem = z.union([z.string(), z.instanceof(Uint8Array)], { error: 'expected PEM text (a string or a Buffer)' });

export const tlsOptions = z.strictObject({
  ca: z.union([pem, z.array(pem)], { error: 'expected PEM text, a Buffer, or an array of them' }).optional(),
  cert: pem.optional(),
  key: pem.optional(),
  passphrase: z.string().optional(),
  servername: z.string().min(1).optional(),
  rejectUnauthorized: z.boolean().optional(),
});

const credential = (what: string) =>
  z.string({ error: `expected the ${what} as a string` }).min(1, { error: `the ${what} must not be empty` }).regex(HEADER_VALUE, { error: `the ${what} must not contain CR, LF or control characters` });

export const authOptions = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('basic'),
      // RFC 7617: the user id must not contain a colon.
      username: credential('username').refine((u) => !u.includes(':'), { error: 'the username must not contain ":"' }),
      password: z.string({ error: 'expected the password as a string' }).regex(HEADER_VALUE, { error: 'the password must not contain CR, LF or control characters' }),
    }),
    z.strictObject({
      type: z.literal('bearer'),
      token: z.union([credential('token'), z.custom<() => unknown>((v) => typeof v === 'function')], { error: 'expected a non-empty token string, or a function returning one' }),
    }),
  ],
  { error: "expected { type: 'basic', username, password } or { type: 'bearer', token }" },
);

export const retryOptions = z
  .strictObject({
    initialDelayMs: delayMs.optional(),
    maxDelayMs: delayMs.optional(),
    factor: z.number().min(1).max(100).optional(),
    jitter: z.number().min(0).max(1).optional(),
    maxRetryAfterMs: delayMs.optional(),
  })
  .refine((r) => r.initialDelayMs === undefined || r.maxDelayMs === undefined || r.initialDelayMs <= r.maxDelayMs, {
    error: 'initialDelayMs must not exceed maxDelayMs',
    path: ['initialDelayMs'],
  });

const logFunction = z.custom<(...args: unknown[]) => void>((v) => typeof v === 'function', { error: 'expected a function' });

/** A logger: pino, winston, console, or any object with these four methods. */
export const logger = z.looseObject({ debug: logFunction, info: logFunction, warn: logFunction, error: logFunction }, { error: 'expected an object with debug, info, warn and error methods' });

const urlItem = z.union([z.string(), z.instanceof(URL)], { error: 'expected a URL string or URL object' });

export const clusterClientOptions = z.strictObject(
  {
    url: z.union([urlItem, z.array(urlItem).min(1, { error: 'expected at least one URL' })], { error: 'expected a URL, or an array of JobManager URLs' }),
    dispatcher: z
      .custom<object>((v) => typeof v === 'object' && v !== null && typeof (v as { dispatch?: unknown }).dispatch === 'function', { error: 'expected an undici Dispatcher' })
      .optional(),
    tls: tlsOptions.optional(),
    auth: authOptions.optional(),
    headers: headers.optional(),
    sensitiveHeaders: z.array(headerName, { error: 'expected an array of header names' }).optional(),
    timeoutMs: deadlineMs.optional(),
    maxRetries: retryCount.optional(),
    retry: retryOptions.optional(),
    waitTimeoutMs: deadlineMs.optional(),
    unreachableTimeoutMs: deadlineMs.optional(),
    validation: z.enum(['strict', 'lenient', 'off']).optional(),
    maxResponseBytes: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    connections: z.number().int().positive().max(65_536).optional(),
    logger: logger.optional(),
    historyServer: urlItem.optional(),
  },
  { error: 'expected an options object with a url' },
);

export const requestOptions = z.strictObject({
  signal: abortSignal.optional(),
  timeoutMs: deadlineMs.optional(),
  maxRetries: retryCount.optional(),
  headers: headers.optional(),
});

export const waitOptions = z.strictObject({
  signal: abortSignal.optional(),
  timeoutMs: deadlineMs.optional(),
  pollIntervalMs: z.number().min(1).max(MAX_TIMER_MS).optional(),
  maxPollIntervalMs: z.number().min(1).max(MAX_TIMER_MS).optional(),
  unreachableTimeoutMs: deadlineMs.optional(),
  request: requestOptions.omit({ signal: true }).optional(),
  onProgress: z.custom<(p: unknown) => void>((v) => typeof v === 'function', { error: 'expected a function' }).optional(),
});
