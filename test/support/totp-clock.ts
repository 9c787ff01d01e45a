import { setTimeout as sleep } from 'node:timers/promises';
import { TOTP_PERIOD_SECONDS, totpCode } from '../../src/mfa/totp';

/** Codes computed from the secret, as a phone would (RFC 6238), for the integration and browser tests. */

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

/** The code of the step `offset` steps from now (-1: the previous, +1: the next). */
export const codeAt = (secret: string, offset = 0) => totpCode(secret, Date.now() + offset * STEP_MS);

/**
 * Waits until at least 3 s into a 30 s step and `beforeEndMs` before its end,
 * so a code computed here falls in the same step when the server checks it,
 * even on a busy machine: tests of drift and replay then cannot flake on a
 * boundary.
 */
export async function awayFromStepEdge(beforeEndMs = 4_000): Promise<void> {
  const into = Date.now() % STEP_MS;
  if (into < 3_000) await sleep(3_000 - into);
  else if (into > STEP_MS - beforeEndMs) await sleep(STEP_MS - into + 3_000);
}
