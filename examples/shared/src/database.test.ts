import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Migration, migrate, openDatabase } from './database.js';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'colchis-db-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const V1: Migration = {
  id: 1,
  name: 'notes',
  sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);',
};
const V2: Migration = { id: 2, name: 'note authors', sql: 'ALTER TABLE notes ADD COLUMN author TEXT;' };

describe('migrations', () => {
  it('creates the file, applies each migration once, and keeps data across reopening', () => {
    const file = join(directory, 'nested', 'app.sqlite');
    const first = openDatabase(file, [V1]);
    first.prepare('INSERT INTO notes (text) VALUES (?)').run('kept');
    first.close();
    const second = openDatabase(file, [V1, V2]);
    expect(second.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all()).toEqual([
      { id: 1, name: 'notes' },
      { id: 2, name: 'note authors' },
    ]);
    expect(second.prepare('SELECT text, author FROM notes').all()).toEqual([{ text: 'kept', author: null }]);
    expect(migrate(second, [V2, V1])).toEqual([]);
    expect(second.pragma('journal_mode', { simple: true })).toBe('wal');
    second.close();
  });

  it('rolls a failing migration back entirely', () => {
    const file = join(directory, 'app.sqlite');
    const broken: Migration = {
      id: 2,
      name: 'broken',
      sql: 'CREATE TABLE half (id INTEGER); SELECT * FROM missing_table;',
    };
    expect(() => openDatabase(file, [V1, broken])).toThrow(/missing_table/);
    const db = openDatabase(file, [V1]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    expect(db.prepare('SELECT id FROM schema_migrations').all()).toEqual([{ id: 1 }]);
    db.close();
  });

  it('refuses a database migrated by a newer version of the app', () => {
    const file = join(directory, 'app.sqlite');
    openDatabase(file, [V1, V2]).close();
    expect(() => openDatabase(file, [V1])).toThrow(
      /newer version of this app \(migrations 2 are unknown here\)/,
    );
  });

  it('refuses two migrations with one id', () => {
    expect(() => openDatabase(join(directory, 'app.sqlite'), [V1, { ...V2, id: 1 }])).toThrow(
      /share the id 1/,
    );
  });
});
