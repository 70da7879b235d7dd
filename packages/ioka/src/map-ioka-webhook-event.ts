import { redact, type WebhookEvent } from '@colchis/core';
import { type IokaPayment, iokaWebhookPayloadSchema } from './ioka-api.js';
import { toColchisPayment } from './map-ioka-payment.js';

/**
 * Normalizes a verified ioka webhook body into a `WebhookEvent`:
 * - `PAYMENT_*` (both `PAYMENT_CANCELLED` and `PAYMENT_CANCELED`) and `ORDER_EXPIRED` are
 *   `payment.updated`, with the status decided from the order and the payment in the body;
 * - `REFUND_*` are `refund.updated`; `CARD_APPROVED` / `CARD_DECLINED` are `card.updated`;
 * - anything else (or a body of another shape) is `unknown`, with the body in `raw`.
 *
 * ioka sends no event id; `id` is derived from the event name, the order and payment ids and
 * the payment's status, which is what identifies a repeated delivery.
 */
export function toColchisWebhookEvent(body: unknown): WebhookEvent {
  const parsed = iokaWebhookPayloadSchema.safeParse(body);
  if (!parsed.success) return { provider: 'ioka', type: 'unknown', signed: true, raw: redact(body) };
  const payload = parsed.data;
  const name = payload.event;
  const paymentObject: IokaPayment | undefined = payload.payment ?? undefined;
  const raw = redact(body);

  if (name.startsWith('CARD_')) {
    const card = payload.card ?? undefined;
    return {
      provider: 'ioka',
      type: 'card.updated',
      id: [name, payload.customer?.id ?? card?.customer_id ?? '', card?.id ?? '', card?.status ?? ''].join(
        ':',
      ),
      signed: true,
      raw,
    };
  }

  const orderId = payload.order?.id ?? paymentObject?.order_id ?? undefined;
  const event: WebhookEvent = {
    provider: 'ioka',
    type:
      name.startsWith('PAYMENT_') || name.startsWith('ORDER_')
        ? 'payment.updated'
        : name.startsWith('REFUND_')
          ? 'refund.updated'
          : 'unknown',
    id: [
      name,
      orderId ?? '',
      paymentObject?.id ?? '',
      paymentObject?.status ?? payload.order?.status ?? '',
    ].join(':'),
    signed: true,
    raw,
  };
  if (orderId) event.paymentId = orderId;
  const order = payload.order ?? (orderId ? { id: orderId, status: '' } : undefined);
  if (order) {
    const payment = toColchisPayment(order, paymentObject ? [paymentObject] : []);
    event.payment = payment;
    event.status = payment.status;
    event.rawStatus = payment.rawStatus;
    if (payment.reference) event.reference = payment.reference;
  }
  return event;
}
