import { ConfigurationError } from '@colchis/core';
import { startFaultServer } from '@colchis/core/testing';
import { describe, expect, it } from 'vitest';

describe('the default ioka instance', () => {
  it('imports without any environment and reads it on first use', async () => {
    const saved = { ...process.env };
    delete process.env.IOKA_API_KEY;
    delete process.env.IOKA_ENVIRONMENT;
    delete process.env.IOKA_WEBHOOK_KEY;
    delete process.env.IOKA_BASE_URL;
    try {
      const module = await import('./index.js');
      expect(module.ioka.id).toBe('ioka');
      expect(module.ioka.capabilities.webhooks).toBe('signed');
      const noKey = await module.ioka.getPayment('ord_1').catch((error: unknown) => error);
      expect(ConfigurationError.isInstance(noKey)).toBe(true);
      expect(String(noKey)).toContain('IOKA_API_KEY');
      const signed = module.signIokaTestWebhook('{"event": "PAYMENT_CAPTURED"}', 'k');
      const noWebhookKey = await module.ioka
        .verifyWebhook({ rawBody: signed.body, headers: signed.headers })
        .catch((error: unknown) => error);
      expect(ConfigurationError.isInstance(noWebhookKey)).toBe(true);
      expect(String(noWebhookKey)).toContain('IOKA_WEBHOOK_KEY');
    } finally {
      process.env = saved;
    }
  });

  it('uses IOKA_API_KEY, IOKA_BASE_URL and IOKA_WEBHOOK_KEY (several, comma-separated)', async () => {
    const server = await startFaultServer((request) =>
      request.headers['api-key'] === 'env-key-123456'
        ? { status: 200, body: { id: 'ord_1', status: 'UNPAID', amount: 100, payments: [] } }
        : { status: 401, body: { code: 'Unauthorized', message: 'bad key' } },
    );
    const saved = { ...process.env };
    process.env.IOKA_API_KEY = 'env-key-123456';
    process.env.IOKA_BASE_URL = server.url;
    process.env.IOKA_WEBHOOK_KEY = 'first-key, second-key';
    try {
      const { createIoka, signIokaTestWebhook } = await import('./index.js');
      const provider = createIoka();
      expect((await provider.getPayment('ord_1')).status).toBe('requires_action');
      const signed = signIokaTestWebhook(
        '{"event": "PAYMENT_CAPTURED", "order": {"id": "ord_1", "status": "PAID", "amount": 100}}',
        'second-key',
      );
      expect((await provider.verifyWebhook({ rawBody: signed.body, headers: signed.headers })).status).toBe(
        'captured',
      );
    } finally {
      process.env = saved;
      await server.close();
    }
  });
});
