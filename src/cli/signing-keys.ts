/**
 * Rotates and retires the keys that sign access tokens (docs/architecture.md):
 *   npm run keys:rotate                  node dist/cli/signing-keys.js rotate
 *   npm run keys:retire -- <kid>         node dist/cli/signing-keys.js retire <kid>
 * Reads MONGODB_URI and DATA_ENCRYPTION_KEY and nothing else (from `.env` when
 * there is one), so an operator can rotate without the app's other secrets.
 * Running instances pick the change up within a minute, without a restart.
 */
import { existsSync } from 'node:fs';
import mongoose from 'mongoose';
import { DataKeys } from '../mfa/data-keys';
import { SigningKey, SigningKeySchema } from '../keys/signing-key.schema';
import { currentOf, RELOAD_INTERVAL_MS, RetireRefused, SigningKeyStore } from '../keys/signing-key-store';

const USAGE = 'Usage: npm run keys:rotate, or npm run keys:retire -- <kid>';

async function main([command, kid]: string[]): Promise<number> {
  if (!(command === 'rotate' || (command === 'retire' && kid))) {
    console.error(USAGE);
    return 2;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  const { MONGODB_URI: uri, DATA_ENCRYPTION_KEY: dataKey } = process.env;
  if (!uri || !dataKey) {
    // A key sealed with a made-up DATA_ENCRYPTION_KEY could never be opened by the app.
    console.error(
      'MONGODB_URI and DATA_ENCRYPTION_KEY must be set to those of the app (the embedded development database makes its own key).',
    );
    return 2;
  }
  const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5_000 }).asPromise();
  try {
    const store = new SigningKeyStore(connection.model(SigningKey.name, SigningKeySchema), new DataKeys(dataKey));
    if (command === 'retire') {
      await store.retire(kid, RELOAD_INTERVAL_MS);
      console.log(`Retired ${kid}: within a minute its tokens are refused everywhere and it leaves the JWKS.`);
      return 0;
    }
    const current = currentOf(await store.list());
    if (current && !store.unseal(current)) {
      console.error('DATA_ENCRYPTION_KEY is not the one the signing keys were sealed with: no key was made.');
      return 1;
    }
    const key = await store.create();
    console.log(key._id);
    console.error(`Published now and signing on every instance within a minute; tokens of ${current?._id ?? 'no earlier key'} stay valid.`);
    return 0;
  } finally {
    await connection.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      error instanceof RetireRefused ? `Cannot retire: ${error.message}` : error instanceof Error ? error.message : String(error),
    );
    process.exit(1);
  },
);
