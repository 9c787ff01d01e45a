/**
 * A clean-up of records that only clutter once stale (spent claims, expired
 * challenges), run in the background at most once a minute by whichever
 * request comes by: one delete that may read a whole collection on FerretDB
 * (docs/databases.md), instead of one per request. Correctness never waits
 * for it: every reader checks expiry in code.
 */
export class BackgroundSweep {
  private last = 0;

  constructor(
    private readonly remove: (now: Date) => Promise<unknown>,
    private readonly everyMs = 60_000,
  ) {}

  poke(now = new Date()): void {
    if (now.getTime() - this.last < this.everyMs) return;
    this.last = now.getTime();
    void this.remove(now).catch(() => undefined);
  }
}
