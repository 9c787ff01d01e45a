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
 */
export const MAX_OUTSTANDING_CHILDREN = 16;
export const SIBLING_GRACE_MS = 30_000;

export interface FamilyTokens {
  parentHash: string | null;
  childHashes: string[];
  /** Unused children of the previous parent, accepted until `siblingsValidUntil`. */
  siblingHashes: string[];
  siblingsValidUntil: Date | null;
}

export type RotationOutcome = { kind: 'rotated'; next: FamilyTokens } | { kind: 'reused' } | { kind: 'saturated' };

export function rotate(state: FamilyTokens, presentedHash: string, newChildHash: string, now: Date): RotationOutcome {
  if (state.childHashes.includes(presentedHash)) {
    return {
      kind: 'rotated',
      next: {
        parentHash: presentedHash,
        childHashes: [newChildHash],
        siblingHashes: state.childHashes.filter((hash) => hash !== presentedHash),
        siblingsValidUntil: new Date(now.getTime() + SIBLING_GRACE_MS),
      },
    };
  }
  const isParent = state.parentHash !== null && presentedHash === state.parentHash;
  const isFreshSibling =
    state.siblingHashes.includes(presentedHash) && state.siblingsValidUntil !== null && now < state.siblingsValidUntil;
  if (isParent || isFreshSibling) {
    // Bounded, so a client that replays a token forever cannot grow the
    // document. At the bound the request is refused for now (retryable)
    // rather than evicting an older child: every token ever handed out must
    // stay honest, or using it later would look like theft.
    if (state.childHashes.length >= MAX_OUTSTANDING_CHILDREN) return { kind: 'saturated' };
    return { kind: 'rotated', next: { ...state, childHashes: [...state.childHashes, newChildHash] } };
  }
  return { kind: 'reused' };
}
