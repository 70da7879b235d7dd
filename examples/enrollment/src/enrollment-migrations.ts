import { type Migration, PAYMENT_TABLES_MIGRATION } from '@colchis/example-shared';

/** The enrollment app's schema, in order. Add a migration; never edit an applied one. */
export const ENROLLMENT_MIGRATIONS: readonly Migration[] = [
  PAYMENT_TABLES_MIGRATION,
  {
    id: 2,
    name: 'students and enrollments',
    sql: `
CREATE TABLE students (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  -- 1 while the student only ever checked out as a guest (no sign-in).
  guest INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE TABLE enrollments (
  id INTEGER PRIMARY KEY,
  student_id INTEGER NOT NULL REFERENCES students (id),
  course_id TEXT NOT NULL,
  -- pending: waiting for payment; awaiting_capture: card authorized, charged when the course
  -- starts; active: paid; refunded: paid back in full; released: authorization canceled.
  status TEXT NOT NULL CHECK (status IN ('pending', 'awaiting_capture', 'active', 'refunded', 'released')),
  amount INTEGER NOT NULL,
  currency TEXT NOT NULL,
  guest INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  activated_at INTEGER
);
-- One live enrollment per student and course: a second click on Enroll reuses it.
CREATE UNIQUE INDEX enrollments_one_live ON enrollments (student_id, course_id)
  WHERE status IN ('pending', 'awaiting_capture', 'active');
`,
  },
];
