import { createHmac } from 'node:crypto';
import type { SandboxClock } from '../clock.js';
import type { WebhookQueue } from '../webhook-queue.js';
import type { StripeObject, StripeStore, StripeWebhookEndpoint } from './stripe-store.js';

/** The API version the emulator renders objects in (stripe-node 23's pinned version). */
export const STRIPE_SANDBOX_API_VERSION = '2026-10-28.endive';

/**
 * Signs a webhook body the way Stripe does: `Stripe-Signature: t=<unix seconds>,v1=<hex>`, where
 * the signature is HMAC-SHA256 of `<t>.<body>` keyed with the endpoint secret (the whole
 * `whsec_...` string). https://docs.stripe.com/webhooks#verify-manually
 */
export function signStripePayload(body: string, secret: string, timestampSeconds: number): string {
  const signature = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${signature}`;
}

/** Creates events and delivers them to the webhook endpoints that want them. */
export class StripeEvents {
  constructor(
    private readonly store: StripeStore,
    private readonly clock: SandboxClock,
    private readonly webhooks: WebhookQueue,
  ) {}

  /** Records `type` with a snapshot of `object` and queues its signed deliveries. */
  emit(
    type: string,
    object: StripeObject,
    request: { id: string; idempotencyKey?: string | undefined } | undefined,
    previousAttributes?: Record<string, unknown>,
  ): StripeObject {
    const endpoints = [...this.store.endpoints.values()].filter((endpoint) => this.wants(endpoint, type));
    const event: StripeObject = {
      id: this.store.newId('evt'),
      object: 'event',
      api_version: STRIPE_SANDBOX_API_VERSION,
      created: Math.floor(this.clock.now() / 1000),
      data: {
        object: structuredClone(object),
        ...(previousAttributes ? { previous_attributes: previousAttributes } : {}),
      },
      livemode: false,
      pending_webhooks: endpoints.length,
      request: { id: request?.id ?? null, idempotency_key: request?.idempotencyKey ?? null },
      type,
    };
    this.store.put(event);
    this.store.events.push(event);
    const body = JSON.stringify(event, null, 2);
    for (const endpoint of endpoints) {
      this.webhooks.enqueue({
        gateway: 'stripe',
        url: endpoint.url,
        body,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': signStripePayload(body, endpoint.secret, Math.floor(this.clock.now() / 1000)),
        },
      });
    }
    return event;
  }

  private wants(endpoint: StripeWebhookEndpoint, type: string): boolean {
    return (
      !endpoint.disabled && (endpoint.enabledEvents.includes('*') || endpoint.enabledEvents.includes(type))
    );
  }
}
