// Names the guides' code blocks use without declaring them: the surrounding application's
// objects. A snippet that declares its own shadows these.
declare global {
  /** The webhook request's raw body, exactly as received. */
  const rawBody: string;
  /** The webhook request's headers. */
  const headers: Record<string, string | string[] | undefined>;
  /** The incoming WHATWG request (Hono, Next.js, Workers). */
  const request: Request;
  /** Your application's database, whatever it is. */
  const db: {
    findPayment(id: string): Promise<{ id: string; status: import('@colchis/core').PaymentStatus } | undefined>;
    savePayment(payment: import('@colchis/core').Payment): Promise<void>;
    [key: string]: (...args: never[]) => unknown;
  };
}
export {};
