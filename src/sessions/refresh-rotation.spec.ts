import { FamilyTokens, isCurrent, MAX_OUTSTANDING_CHILDREN, MAX_RETIRED, rotate, SIBLING_GRACE_MS } from './refresh-rotation';

const NOW = new Date('2030-01-01T12:00:00Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);

/** A login straight after sign-in: no token used yet, one issued. */
const fresh = (first = 'T0'): FamilyTokens => ({
  parentHash: null,
  childHashes: [first],
  siblingHashes: [],
  siblingsValidUntil: null,
  retiredHashes: [],
});

/** Applies a rotation that must succeed, and returns the new state. */
function used(state: FamilyTokens, presented: string, issued: string, now = NOW): FamilyTokens {
  const outcome = rotate(state, presented, issued, now);
  if (outcome.kind !== 'rotated') throw new Error(`${presented} was refused: ${outcome.kind}`);
  return outcome.next;
}

describe('rotate', () => {
  it('the first token of a fresh login - rotated: it becomes the parent and the new token the only child', () => {
    expect(rotate(fresh('T0'), 'T0', 'T1', NOW)).toEqual({
      kind: 'rotated',
      next: { parentHash: 'T0', childHashes: ['T1'], siblingHashes: [], siblingsValidUntil: later(SIBLING_GRACE_MS), retiredHashes: [] },
    });
  });

  it('a secret the family never issued, on a fresh login - unknown, not reuse', () => {
    expect(rotate(fresh('T0'), 'other', 'T1', NOW)).toEqual({ kind: 'unknown' });
  });

  it('a secret the family never issued, after rotations - unknown, not reuse', () => {
    const state = used(used(fresh(), 'T0', 'T1'), 'T1', 'T2');
    expect(rotate(state, 'made-up', 'X', NOW)).toEqual({ kind: 'unknown' });
  });

  it('a child used - the parent is retired, and the retired list keeps only the newest MAX_RETIRED', () => {
    let state = fresh('T0');
    for (let i = 0; i <= MAX_RETIRED + 1; i++) state = used(state, `T${i}`, `T${i + 1}`);
    expect(state.retiredHashes).toHaveLength(MAX_RETIRED);
    expect(state.retiredHashes.at(-1)).toBe(`T${MAX_RETIRED}`);
    expect(rotate(state, `T${MAX_RETIRED}`, 'X', NOW)).toEqual({ kind: 'reused' });
    expect(rotate(state, 'T0', 'X', NOW)).toEqual({ kind: 'unknown' });
  });

  it('isCurrent - the parent, a child and a fresh sibling are current; a retired token is not', () => {
    const state = used(used(used(fresh(), 'T0', 'T1'), 'T0', 'T1b'), 'T1', 'T2');
    expect(['T1', 'T2', 'T1b'].map((hash) => isCurrent(state, hash, NOW))).toEqual([true, true, true]);
    expect(isCurrent(state, 'T0', NOW)).toBe(false);
    expect(isCurrent(state, 'T1b', later(SIBLING_GRACE_MS))).toBe(false);
  });

  it('the parent again before any child is used - rotated: parent kept, the new child added', () => {
    const afterT1 = used(fresh(), 'T0', 'T1');
    const outcome = rotate(afterT1, 'T0', 'T1b', NOW);
    expect(outcome).toEqual({ kind: 'rotated', next: { ...afterT1, parentHash: 'T0', childHashes: ['T1', 'T1b'] } });
  });

  it('the parent replayed up to the bound - every child kept, then saturated instead of evicting one', () => {
    let state = used(fresh(), 'T0', 'C1');
    for (let i = 2; i <= MAX_OUTSTANDING_CHILDREN; i++) state = used(state, 'T0', `C${i}`);
    expect(state.childHashes).toEqual(Array.from({ length: MAX_OUTSTANDING_CHILDREN }, (_, i) => `C${i + 1}`));
    expect(rotate(state, 'T0', 'extra', NOW)).toEqual({ kind: 'saturated' });
    expect(used(state, 'C1', 'D1').parentHash).toBe('C1');
  });

  it('T0->T1, T1->T2, then T0 - reused (its child T1 has been used)', () => {
    const state = used(used(fresh(), 'T0', 'T1'), 'T1', 'T2');
    expect(rotate(state, 'T0', 'T3', NOW)).toEqual({ kind: 'reused' });
  });

  it('T0->T1, T1->T2, then T1 again - rotated (a parent stays valid until one of its children is used)', () => {
    const state = used(used(fresh(), 'T0', 'T1'), 'T1', 'T2');
    expect(rotate(state, 'T1', 'T2b', NOW)).toMatchObject({ kind: 'rotated', next: { parentHash: 'T1', childHashes: ['T2', 'T2b'] } });
  });

  it('T0->T1, T1->T2, T2->T3, then T1 - reused', () => {
    const state = used(used(used(fresh(), 'T0', 'T1'), 'T1', 'T2'), 'T2', 'T3');
    expect(rotate(state, 'T1', 'X', NOW)).toEqual({ kind: 'reused' });
  });

  it('a child used - its unused siblings are remembered, with a grace deadline', () => {
    const state = used(used(used(fresh(), 'T0', 'T1'), 'T0', 'T1b'), 'T0', 'T1c');
    const next = used(state, 'T1b', 'T2');
    expect(next).toEqual({
      parentHash: 'T1b',
      childHashes: ['T2'],
      siblingHashes: ['T1', 'T1c'],
      siblingsValidUntil: later(SIBLING_GRACE_MS),
      retiredHashes: ['T0'],
    });
  });

  it('a sibling presented within the grace - rotated, and the family keeps its current parent', () => {
    const state = used(used(used(fresh(), 'T0', 'T1'), 'T0', 'T1b'), 'T1', 'T2');
    const outcome = rotate(state, 'T1b', 'T2b', later(SIBLING_GRACE_MS - 1));
    expect(outcome).toEqual({ kind: 'rotated', next: { ...state, childHashes: ['T2', 'T2b'] } });
  });

  it('a sibling presented when the grace has ended - reused', () => {
    const state = used(used(used(fresh(), 'T0', 'T1'), 'T0', 'T1b'), 'T1', 'T2');
    expect(rotate(state, 'T1b', 'T2b', later(SIBLING_GRACE_MS))).toEqual({ kind: 'reused' });
  });

  it('the grandparent presented within the sibling grace - still reused', () => {
    const state = used(used(fresh(), 'T0', 'T1'), 'T1', 'T2');
    expect(rotate(state, 'T0', 'X', later(1))).toEqual({ kind: 'reused' });
  });

  it('a token listed as sibling without a deadline - reused', () => {
    const state: FamilyTokens = { parentHash: 'P', childHashes: ['C'], siblingHashes: ['S'], siblingsValidUntil: null, retiredHashes: [] };
    expect(rotate(state, 'S', 'X', NOW)).toEqual({ kind: 'reused' });
  });

  it('any rotation - leaves the given state unchanged', () => {
    const state = used(used(fresh(), 'T0', 'T1'), 'T0', 'T1b');
    const copy = structuredClone(state);
    rotate(state, 'T0', 'T1c', NOW);
    rotate(state, 'T1', 'T2', NOW);
    rotate(state, 'nope', 'X', NOW);
    expect(state).toEqual(copy);
  });
});
