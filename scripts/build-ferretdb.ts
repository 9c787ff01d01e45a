/** `npm run db:build`: builds the cached FerretDB binary ahead of time (CI does this once). */
import { buildFerretDb } from '../src/database/ferretdb';

console.log(`FerretDB binary: ${buildFerretDb()}`);
