import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SqliteDatabase } from './database.js';

/**
 * Signs and reads the session cookie (`<customer id>.<HMAC>`). The key lives in the app's own
 * database, so a restart keeps everyone signed in. This is a demo login (an e-mail, no
 * password): the point of the examples is payments, not authentication.
 */
export class SessionCookie {
  private readonly key: Buffer;

  constructor(
    db: SqliteDatabase,
    private readonly name: string,
    /** Adds `Secure` (send over HTTPS only): set it whenever the app is served over HTTPS. */
    private readonly secure = false,
  ) {
    const existing = db.prepare("SELECT value FROM app_settings WHERE key = 'session_key'").get() as
      | { value: string }
      | undefined;
    if (existing) {
      this.key = Buffer.from(existing.value, 'base64');
    } else {
      this.key = randomBytes(32);
      db.prepare("INSERT INTO app_settings (key, value) VALUES ('session_key', ?)").run(
        this.key.toString('base64'),
      );
    }
  }

  /** The `Set-Cookie` value signing in `customerId`. */
  issue(customerId: number): string {
    const value = `${customerId}.${this.sign(String(customerId))}`;
    return `${this.name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000${this.secure ? '; Secure' : ''}`;
  }

  /** The `Set-Cookie` value signing out. */
  clear(): string {
    return `${this.name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${this.secure ? '; Secure' : ''}`;
  }

  /** The signed-in customer id, or `undefined` for a missing or forged cookie. */
  read(cookies: Record<string, string>): number | undefined {
    const value = cookies[this.name];
    if (!value) return undefined;
    const dot = value.indexOf('.');
    if (dot <= 0) return undefined;
    const id = value.slice(0, dot);
    const expected = Buffer.from(this.sign(id));
    const given = Buffer.from(value.slice(dot + 1));
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    const parsed = Number(id);
    return Number.isSafeInteger(parsed) && parsed > 0 ? parsed : undefined;
  }

  private sign(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }
}
