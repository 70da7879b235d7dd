import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { iokaErrorSchema, iokaOrderAndAccessTokenSchema, iokaWebhookPayloadSchema } from './ioka-api.js';
import { iokaErrorDetails } from './ioka-errors.js';
import { toColchisPayment } from './map-ioka-payment.js';
import { toColchisWebhookEvent } from './map-ioka-webhook-event.js';

// The recorded payloads (see __fixtures__/README.md) go through the same schemas and mappers as
// live answers.
const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

describe('recorded ioka payloads', () => {
  it("reads the docs' create-order response (nulls, newer fields, empty payments)", () => {
    const parsed = iokaOrderAndAccessTokenSchema.parse(fixture('create-order-response.json'));
    expect(parsed.order).toMatchObject({
      id: 'ord_test',
      status: 'UNPAID',
      amount: 50000,
      display_amount: 50000,
    });
    const payment = toColchisPayment(parsed.order, parsed.order.payments ?? []);
    expect(payment).toMatchObject({
      id: 'ord_test',
      status: 'requires_action',
      rawStatus: 'UNPAID',
      amount: { amount: 50000, currency: 'KZT' },
      redirectUrl: 'https://test.ioka.kz/orders/ord_test',
    });
    expect(payment.reference).toBeUndefined();
    expect(payment.createdAt?.toISOString()).toBe('2022-01-01T10:00:00.000Z');
    // The order access token is a secret: it never reaches Payment.raw.
    expect(JSON.stringify(payment.raw)).not.toContain('4ed07d5a47d');
  });

  it("reads the spec's error body and leads the message with the code", () => {
    const body = fixture('error-order-exists.json');
    expect(iokaErrorSchema.parse(body).code).toBe('OrderExists');
    expect(iokaErrorDetails(body)).toEqual({
      code: 'OrderExists',
      message: 'OrderExists: Заказ с указанным `external_id` уже существует.',
    });
    expect(
      iokaErrorDetails({ detail: [{ loc: ['body', 'amount'], msg: 'value is not a valid integer' }] }),
    ).toEqual({
      code: 'ValidationError',
      message: 'body.amount: value is not a valid integer',
    });
    expect(iokaErrorDetails('nope')).toBeUndefined();
  });

  it('maps the recorded PAYMENT_CAPTURED delivery to a captured payment', () => {
    const { body } = fixture('webhook-payment-captured.json') as { body: string };
    const payload = iokaWebhookPayloadSchema.parse(JSON.parse(body));
    expect(payload.payment?.processing_fee).toBe(0);
    const event = toColchisWebhookEvent(JSON.parse(body));
    expect(event).toMatchObject({
      provider: 'ioka',
      type: 'payment.updated',
      id: 'PAYMENT_CAPTURED:ord_QDNUK6JH11:pay_L3INB0YJLE:CAPTURED',
      paymentId: 'ord_QDNUK6JH11',
      reference: 'hqH2B2rkqiWJDPH7X',
      status: 'captured',
      rawStatus: 'CAPTURED',
      payment: { amountCaptured: 1050000, card: { maskedPan: '555555******5599' } },
    });
  });

  it('keeps other shapes as unknown events instead of failing', () => {
    expect(toColchisWebhookEvent({ event: 'TRANSFER_APPROVED', transfer: { id: 'trf_1' } })).toMatchObject({
      type: 'unknown',
      signed: true,
    });
    expect(toColchisWebhookEvent({ no: 'event' }).type).toBe('unknown');
    expect(
      toColchisWebhookEvent({
        event: 'CARD_DECLINED',
        customer: { id: 'cus1' },
        card: { id: 'card1', status: 'DECLINED' },
      }),
    ).toMatchObject({ type: 'card.updated', id: 'CARD_DECLINED:cus1:card1:DECLINED' });
    expect(
      toColchisWebhookEvent({
        event: 'REFUND_APPROVED',
        order: { id: 'ord_1', status: 'PAID', amount: 100 },
      }),
    ).toMatchObject({ type: 'refund.updated', paymentId: 'ord_1' });
    expect(
      toColchisWebhookEvent({ event: 'ORDER_EXPIRED', order: { id: 'ord_2', status: 'EXPIRED' } }),
    ).toMatchObject({
      type: 'payment.updated',
      status: 'expired',
    });
  });
});
