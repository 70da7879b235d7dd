import type { SqliteDatabase } from '@colchis/example-shared';

/** A student: an e-mail, signed in or checking out as a guest. */
export interface Student {
  id: number;
  email: string;
  guest: boolean;
}

/** Where an enrollment stands. */
export type EnrollmentStatus = 'pending' | 'awaiting_capture' | 'active' | 'refunded' | 'released';

/** A row of `enrollments`, with the student's e-mail. */
export interface Enrollment {
  id: number;
  studentId: number;
  email: string;
  courseId: string;
  status: EnrollmentStatus;
  amount: number;
  currency: string;
  guest: boolean;
  createdAt: number;
  updatedAt: number;
  activatedAt: number | null;
}

interface EnrollmentRow {
  id: number;
  student_id: number;
  email: string;
  course_id: string;
  status: EnrollmentStatus;
  amount: number;
  currency: string;
  guest: number;
  created_at: number;
  updated_at: number;
  activated_at: number | null;
}

function toEnrollment(row: EnrollmentRow): Enrollment {
  return {
    id: row.id,
    studentId: row.student_id,
    email: row.email,
    courseId: row.course_id,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    guest: row.guest === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    activatedAt: row.activated_at,
  };
}

const SELECT =
  'SELECT enrollments.*, students.email FROM enrollments JOIN students ON students.id = enrollments.student_id';

/** Queries over students and enrollments. */
export class EnrollmentStore {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number,
  ) {}

  /** Finds or creates the student with this e-mail. Signing in clears the guest flag. */
  upsertStudent(email: string, options: { guest: boolean }): Student {
    const existing = this.db.prepare('SELECT id, email, guest FROM students WHERE email = ?').get(email) as
      | { id: number; email: string; guest: number }
      | undefined;
    if (existing) {
      if (!options.guest && existing.guest === 1) {
        this.db.prepare('UPDATE students SET guest = 0 WHERE id = ?').run(existing.id);
      }
      return { id: existing.id, email: existing.email, guest: options.guest && existing.guest === 1 };
    }
    const result = this.db
      .prepare('INSERT INTO students (email, guest, created_at) VALUES (?, ?, ?)')
      .run(email, options.guest ? 1 : 0, this.now());
    return { id: Number(result.lastInsertRowid), email, guest: options.guest };
  }

  /** The student with this id, if any. */
  findStudent(id: number): Student | undefined {
    const row = this.db.prepare('SELECT id, email, guest FROM students WHERE id = ?').get(id) as
      | { id: number; email: string; guest: number }
      | undefined;
    return row ? { id: row.id, email: row.email, guest: row.guest === 1 } : undefined;
  }

  /** The student's pending, awaiting-capture or active enrollment in a course, if any. */
  findLive(studentId: number, courseId: string): Enrollment | undefined {
    const row = this.db
      .prepare(
        `${SELECT} WHERE student_id = ? AND course_id = ? AND enrollments.status IN ('pending', 'awaiting_capture', 'active')`,
      )
      .get(studentId, courseId) as EnrollmentRow | undefined;
    return row ? toEnrollment(row) : undefined;
  }

  /** Creates a pending enrollment. */
  create(input: {
    studentId: number;
    courseId: string;
    amount: number;
    currency: string;
    guest: boolean;
  }): Enrollment {
    const now = this.now();
    const result = this.db
      .prepare(
        `INSERT INTO enrollments (student_id, course_id, status, amount, currency, guest, created_at, updated_at)
         VALUES (?, ?, 'pending', ?, ?, ?, ?, ?)`,
      )
      .run(input.studentId, input.courseId, input.amount, input.currency, input.guest ? 1 : 0, now, now);
    return this.get(Number(result.lastInsertRowid));
  }

  /** The enrollment with this id (throws when missing). */
  get(id: number): Enrollment {
    const row = this.db.prepare(`${SELECT} WHERE enrollments.id = ?`).get(id) as EnrollmentRow | undefined;
    if (!row) throw new Error(`No enrollment ${id}.`);
    return toEnrollment(row);
  }

  /** Sets the status (and the activation time the first time it becomes active). */
  setStatus(id: number, status: EnrollmentStatus): void {
    const now = this.now();
    this.db
      .prepare(
        `UPDATE enrollments SET status = ?, updated_at = ?,
           activated_at = CASE WHEN ? = 'active' AND activated_at IS NULL THEN ? ELSE activated_at END
         WHERE id = ?`,
      )
      .run(status, now, status, now, id);
  }

  /** A student's enrollments, newest first. */
  listForStudent(studentId: number): Enrollment[] {
    return (
      this.db
        .prepare(`${SELECT} WHERE student_id = ? ORDER BY enrollments.id DESC`)
        .all(studentId) as EnrollmentRow[]
    ).map(toEnrollment);
  }

  /** Every enrollment, newest first. */
  listAll(limit = 200): Enrollment[] {
    return (
      this.db.prepare(`${SELECT} ORDER BY enrollments.id DESC LIMIT ?`).all(limit) as EnrollmentRow[]
    ).map(toEnrollment);
  }
}
