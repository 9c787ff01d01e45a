/**
 * Refresh-token rotation as a pure decision, so every rule can be unit-tested
 * and the service only has to apply the result atomically.
 *
 * A family (one login) remembers the hash of the last token that was *used*
 * (the parent) and the hashes of the tokens issued from it that nobody has
 * used yet (the children). SuperTokens' rule follows: a parent stays valid
 * until one of its children is used. So two tabs refreshing with one token
 * at once both succeed, and a retry after a lost response succeeds; but once
 * a child has been used, its parent and siblings are gone, and presenting
 * them again is reuse — evidence that a token was copied.
 */
export const MAX_OUTSTANDING_CHILDREN = 4;

export interface FamilyTokens {
  parentHash: string | null;
  childHashes: string[];
}

export type RotationOutcome = { kind: 'rotated'; next: FamilyTokens } | { kind: 'reused' };

export function rotate(state: FamilyTokens, presentedHash: string, newChildHash: string): RotationOutcome {
  if (state.childHashes.includes(presentedHash)) {
    return { kind: 'rotated', next: { parentHash: presentedHash, childHashes: [newChildHash] } };
  }
  if (state.parentHash !== null && presentedHash === state.parentHash) {
    // Bounded, so a client that replays its parent forever cannot grow the document.
    const childHashes = [...state.childHashes, newChildHash].slice(-MAX_OUTSTANDING_CHILDREN);
    return { kind: 'rotated', next: { parentHash: presentedHash, childHashes } };
  }
  return { kind: 'reused' };
}
