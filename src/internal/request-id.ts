import { randomBytes } from 'node:crypto';

// A random prefix per process and a counter: unique across the processes of a fleet, and costing
// one string concatenation per call rather than a call into the random source.
const PREFIX = randomBytes(4).toString('hex');
let counter = 0;

/** A fresh id for one logical call, such as `fc-3f9a01c2-1k`. */
export function newRequestId(): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `fc-${PREFIX}-${counter.toString(36)}`;
}
