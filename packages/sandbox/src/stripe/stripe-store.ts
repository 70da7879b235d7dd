import { randomBytes } from 'node:crypto';

/** A Stripe API object as the sandbox stores it (JSON-shaped, exactly what the API returns). */
export interface StripeObject {
  id: string;
  object: string;
  [field: string]: unknown;
}

/** A saved idempotent response. */
export interface IdempotentResponse {
  /** Method, path and body of the first request: a replay must match it. */
  fingerprint: string;
  status: number;
  body: unknown;
  createdAt: number;
}

/** A webhook endpoint events are delivered to. */
export interface StripeWebhookEndpoint {
  id: string;
  url: string;
  secret: string;
  /** Event types, or `*` for all. */
  enabledEvents: string[];
  disabled: boolean;
  created: number;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random characters from Stripe's id alphabet. */
export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

/** Everything the Stripe emulator remembers. `reset` forgets data, not webhook endpoints. */
export class StripeStore {
  readonly objects = new Map<string, StripeObject>();
  /** Full card numbers by PaymentMethod id: never part of an API object. */
  readonly cardNumbers = new Map<string, string>();
  /** PaymentMethods authenticated while being saved for off-session use. */
  readonly setUpForOffSession = new Set<string>();
  /** Line items by Checkout Session id. */
  readonly lineItems = new Map<string, StripeObject[]>();
  readonly idempotency = new Map<string, IdempotentResponse>();
  readonly events: StripeObject[] = [];
  readonly endpoints = new Map<string, StripeWebhookEndpoint>();

  /** A new id with Stripe's prefix (`pi_`, `ch_`, `cs_test_`...). */
  newId(prefix: string, length = 24): string {
    return `${prefix}_${randomToken(length)}`;
  }

  put<T extends StripeObject>(object: T): T {
    this.objects.set(object.id, object);
    return object;
  }

  /** The stored object with this id and type, or `undefined`. */
  find(id: string, object?: string): StripeObject | undefined {
    const found = this.objects.get(id);
    return found && (object === undefined || found.object === object) ? found : undefined;
  }

  /** Stored objects of a type, newest first, optionally filtered. */
  list(object: string, filter: (item: StripeObject) => boolean = () => true): StripeObject[] {
    return [...this.objects.values()].filter((item) => item.object === object && filter(item)).reverse();
  }

  reset(): void {
    this.objects.clear();
    this.cardNumbers.clear();
    this.setUpForOffSession.clear();
    this.lineItems.clear();
    this.idempotency.clear();
    this.events.length = 0;
  }
}
