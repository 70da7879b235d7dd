import type { SqliteDatabase } from './database.js';

/** Durable key/value storage the gateway wiring (`create-provider.ts`) keeps in the app's database. */
export interface ProviderStorage {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

/** {@link ProviderStorage} over the `provider_data` table. */
export function sqliteProviderStorage(db: SqliteDatabase): ProviderStorage {
  const read = db.prepare('SELECT value FROM provider_data WHERE key = ?');
  const write = db.prepare(
    'INSERT INTO provider_data (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  return {
    get: (key) => (read.get(key) as { value: string } | undefined)?.value,
    set: (key, value) => void write.run(key, value),
  };
}
