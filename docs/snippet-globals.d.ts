// Names the guides' code blocks use without declaring them: the surrounding application's
// objects. A snippet that declares its own shadows these. Only application-side things belong
// here (requests, your database, your own functions); every package API a snippet uses is real.
declare global {
  /** The webhook request's raw body, exactly as received. */
  const rawBody: string;
  /** The webhook request's headers. */
  const headers: Record<string, string | string[] | undefined>;
  /** The incoming WHATWG request (Hono, Next.js, Workers). */
  const request: Request;
  /**
   * Your application's database, whatever it is. The guides keep one row per payment: the
   * `Payment` object as the provider last reported it (see docs/guides/flows/one-off-payment.md).
   */
  const db: {
    /** The payment as you last saved it, by the provider's payment id. */
    findPayment(id: string): Promise<import('@colchis/core').Payment | undefined>;
    /** The payment created for one of your references (order, enrollment, donation id). */
    findPaymentByReference(reference: string): Promise<import('@colchis/core').Payment | undefined>;
    /** Inserts or replaces the row of `payment.id`. */
    savePayment(payment: import('@colchis/core').Payment): Promise<void>;
    /** Payments in one of `statuses` that were last updated before `updatedBefore`. */
    listPayments(filter: {
      statuses: readonly import('@colchis/core').PaymentStatus[];
      updatedBefore: Date;
    }): Promise<import('@colchis/core').Payment[]>;
    [key: string]: (...args: never[]) => unknown;
  };
}

export {};
