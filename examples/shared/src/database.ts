import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** A better-sqlite3 connection. */
export type SqliteDatabase = Database.Database;

/** One schema change. Ids are applied in ascending order, each exactly once, each in a transaction. */
export interface Migration {
  id: number;
  name: string;
  sql: string;
}

/**
 * Opens (creating when missing) the SQLite file of an app and applies its migrations.
 * WAL with `synchronous=FULL`: a committed payment survives a crash or power loss, and the page
 * handlers can read while the webhook handler writes.
 */
export function openDatabase(file: string, migrations: readonly Migration[]): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`. Refuses to open a database that
 * a newer version of the app migrated (an id it does not know), instead of running against a
 * schema it does not understand.
 * @returns the ids applied now.
 */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const sorted = [...migrations].sort((a, b) => a.id - b.id);
  for (let index = 1; index < sorted.length; index++) {
    if (sorted[index]?.id === sorted[index - 1]?.id) {
      throw new Error(`Two migrations share the id ${sorted[index]?.id}.`);
    }
  }
  const known = new Set(sorted.map((migration) => migration.id));
  const applied = new Set(
    (db.prepare('SELECT id FROM schema_migrations').all() as Array<{ id: number }>).map((row) => row.id),
  );
  const unknown = [...applied].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new Error(
      `The database was migrated by a newer version of this app (migrations ${unknown.join(', ')} are unknown here). Upgrade the app or use another database file.`,
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)');
  const appliedNow: number[] = [];
  for (const migration of sorted) {
    if (applied.has(migration.id)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.id, migration.name, new Date().toISOString());
    })();
    appliedNow.push(migration.id);
  }
  return appliedNow;
}
