import { startFaultServer } from '@colchis/core/testing';
import { describe, expect, it } from 'vitest';
import { createIoka } from './ioka-provider.js';

// ioka v2.8 orders carry no `payments` array: the provider must ask GET /v2/orders/{id}/payments,
// whose items are the slimmer `PaymentOut` (no order_id, no action).
describe('v2.8-shaped answers', () => {
  it('lists the payments separately and reads PaymentOut', async () => {
    const server = await startFaultServer((request) => {
      if (request.url === '/v2/orders/ord_V28') {
        return {
          status: 200,
          body: {
            id: 'ord_V28',
            status: 'ON_HOLD',
            created_at: '2022-02-20T09:00:00',
            amount: 20000,
            currency: 'KZT',
            capture_method: 'MANUAL',
            external_id: 'v28-1',
            checkout_url: 'https://stage-checkout.ioka.kz/orders/ord_V28',
          },
        };
      }
      if (request.url === '/v2/orders/ord_V28/payments') {
        return {
          status: 200,
          headers: { 'x-count': '2' },
          body: [
            {
              id: 'pay_1',
              status: 'DECLINED',
              created_at: '2022-02-20T09:01:00',
              approved_amount: 0,
              captured_amount: 0,
              refunded_amount: 0,
              processing_fee: 0.0,
              payer: { pan_masked: '444444******6666', expiry_date: '12/24' },
              error: { code: 'LimitExceeded', message: 'Limit exceeded' },
            },
            {
              id: 'pay_2',
              status: 'APPROVED',
              created_at: '2022-02-20T09:02:00',
              approved_amount: '20000',
              captured_amount: 0,
              refunded_amount: 0,
              processing_fee: 0.0,
              payer: {
                pan_masked: '555555******5599',
                expiry_date: '12/24',
                customer_id: 'cus7',
                card_id: 'card7',
              },
            },
          ],
        };
      }
      if (request.url === '/v2/orders/ord_V28/capture') {
        return {
          status: 200,
          body: {
            id: 'pay_2',
            order_id: 'ord_V28',
            status: 'CAPTURED',
            created_at: '2022-02-20T09:02:00',
            approved_amount: 20000,
            captured_amount: 15000,
            refunded_amount: 0,
            processing_fee: 0.0,
          },
        };
      }
      return undefined;
    });
    try {
      const provider = createIoka({ apiKey: 'k-123456', baseUrl: server.url });
      const held = await provider.getPayment('ord_V28');
      expect(held).toMatchObject({
        status: 'authorized',
        rawStatus: 'APPROVED',
        reference: 'v28-1',
        savedMethod: { id: 'card7', customerId: 'cus7', maskedPan: '555555******5599' },
      });
      const captured = await provider.capture('ord_V28', { amount: 15000 });
      expect(captured).toMatchObject({ status: 'captured', amountCaptured: 15000 });
      // The capture answer lacks payer: the card known from the list is kept.
      expect(captured.card?.maskedPan).toBe('555555******5599');
      const captureRequest = server.requests.find((request) => request.url.endsWith('/capture'));
      expect(JSON.parse(captureRequest?.body ?? '{}')).toEqual({ amount: 15000 });
    } finally {
      await server.close();
    }
  });
});
