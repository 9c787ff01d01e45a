/**
 * Refresh-token rotation as a pure decision, so every rule can be unit-tested
 * and the service only has to apply the result atomically.
 *
 * A family (one login) remembers the hash of the last token that was *used*
 * (the parent) and the hashes of the tokens issued from it that nobody has
 * used yet (the children). SuperTokens' rule follows: a parent stays valid
 * until one of its children is used. So two tabs refreshing with one token
 * at once both succeed, and a retry after a lost response succeeds; but once
 * a child has been used, its parent is gone, and presenting it again is
 * reuse: evidence that a token was copied.
 *
 * One refinement for racing tabs: when a child is used, its unused siblings
 * (issued to the same concurrent burst) stay acceptable for a short grace.
 * Otherwise a tab that already used its new token could make the other
 * tab's token, still arriving in the shared cookie jar, look stolen.
 *
 * Reuse needs evidence: the presented token must be one this family really
 * issued and has since retired. The session id is no secret (it is in every
 * access token and on the sessions page), so a secret the family never
 * issued is merely unknown: refused, with nothing revoked. Retired hashes are
 * kept up to a bound; a token retired longer ago than that is unknown too.
 */
export const MAX_OUTSTANDING_CHILDREN = 16;
export const SIBLING_GRACE_MS = 30_000;
/** At a refresh every 5 minutes, 64 retired tokens cover more than five hours of a login's history. */
export const MAX_RETIRED = 64;

export interface FamilyTokens {
  parentHash: string | null;
  childHashes: string[];
  /** Unused children of the previous parent, accepted until `siblingsValidUntil`. */
  siblingHashes: string[];
  siblingsValidUntil: Date | null;
  /** Tokens this family issued that can no longer be used, newest last, at most MAX_RETIRED. */
  retiredHashes: string[];
}

export type RotationOutcome = { kind: 'rotated'; next: FamilyTokens } | { kind: 'reused' } | { kind: 'unknown' } | { kind: 'saturated' };

/** Whether the token may be used now: the parent, a child, or a sibling within its grace. */
export function isCurrent(state: FamilyTokens, presentedHash: string, now: Date): boolean {
  return (
    state.childHashes.includes(presentedHash) ||
    (state.parentHash !== null && presentedHash === state.parentHash) ||
    (state.siblingHashes.includes(presentedHash) && state.siblingsValidUntil !== null && now < state.siblingsValidUntil)
  );
}

export function rotate(state: FamilyTokens, presentedHash: string, newChildHash: string, now: Date): RotationOutcome {
  if (state.childHashes.includes(presentedHash)) {
    return {
      kind: 'rotated',
      next: {
        parentHash: presentedHash,
        childHashes: [newChildHash],
        siblingHashes: state.childHashes.filter((hash) => hash !== presentedHash),
        siblingsValidUntil: new Date(now.getTime() + SIBLING_GRACE_MS),
        // The parent and the previous siblings can never be used again.
        retiredHashes: [...state.retiredHashes, ...(state.parentHash ? [state.parentHash] : []), ...state.siblingHashes].slice(
          -MAX_RETIRED,
        ),
      },
    };
  }
  if (isCurrent(state, presentedHash, now)) {
    // Bounded, so a client that replays a token forever cannot grow the
    // document. At the bound the request is refused for now (retryable)
    // rather than evicting an older child: every token ever handed out must
    // stay honest, or using it later would look like theft.
    if (state.childHashes.length >= MAX_OUTSTANDING_CHILDREN) return { kind: 'saturated' };
    return { kind: 'rotated', next: { ...state, childHashes: [...state.childHashes, newChildHash] } };
  }
  // A sibling past its grace was issued too: presenting it is reuse as well.
  const issuedBefore = state.retiredHashes.includes(presentedHash) || state.siblingHashes.includes(presentedHash);
  return issuedBefore ? { kind: 'reused' } : { kind: 'unknown' };
}
