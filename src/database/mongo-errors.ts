/**
 * MongoDB reports E11000 (code 11000); FerretDB v1 does the same on insert but
 * reports some violations as InternalError with the text only, so both count.
 * On an update FerretDB v1 passes SQLite's own words through ("UNIQUE
 * constraint failed"), seen when two accounts raced for one email address.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === 11000 || (typeof e?.message === 'string' && /duplicate key|E11000|UNIQUE constraint failed/i.test(e.message));
}
