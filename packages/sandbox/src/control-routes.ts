import type { Router } from './router.js';
import type { Sandbox } from './server.js';
import type { WebhookPolicy } from './webhook-queue.js';

/**
 * `/_control/*`: reset, clock, webhooks (list, deliver, duplicate, drop, policy) and faults.
 * Tests and the examples drive the sandbox through these (or the same calls on the object).
 */
export function mountControlRoutes(router: Router, sandbox: Sandbox): void {
  router.add('GET', '/_control', () => ({
    status: 200,
    json: { url: sandbox.url, gateways: sandbox.describe() },
  }));
  router.add('POST', '/_control/reset', () => {
    sandbox.reset();
    return { status: 200, json: { reset: true } };
  });
  router.add('GET', '/_control/clock', () => ({
    status: 200,
    json: { now: sandbox.clock.now(), iso: new Date(sandbox.clock.now()).toISOString() },
  }));
  router.add('POST', '/_control/clock/advance', async (request) => {
    const body = request.json<{ ms?: number; seconds?: number; days?: number }>() ?? {};
    const ms = (body.ms ?? 0) + (body.seconds ?? 0) * 1000 + (body.days ?? 0) * 86_400_000;
    await sandbox.clock.advance(ms);
    return {
      status: 200,
      json: { now: sandbox.clock.now(), iso: new Date(sandbox.clock.now()).toISOString() },
    };
  });
  router.add('GET', '/_control/webhooks', () => ({
    status: 200,
    json: { deliveries: sandbox.webhooks.list() },
  }));
  router.add('POST', '/_control/webhooks/policy', (request) => {
    const body = request.json<WebhookPolicy & { count?: number }>();
    if (!body || !['deliver', 'hold', 'drop', 'duplicate', 'delay'].includes(body.action)) {
      return { status: 400, json: { error: 'action must be deliver, hold, drop, duplicate or delay' } };
    }
    sandbox.webhooks.setPolicy(body, body.count);
    return { status: 200, json: { policy: body } };
  });
  router.add('POST', '/_control/webhooks/:id/deliver', async (request) => ({
    status: 200,
    json: await sandbox.webhooks.deliver(request.params.id as string),
  }));
  router.add('POST', '/_control/webhooks/:id/duplicate', async (request) => ({
    status: 200,
    json: await sandbox.webhooks.duplicate(request.params.id as string),
  }));
  router.add('POST', '/_control/webhooks/:id/drop', (request) => ({
    status: 200,
    json: sandbox.webhooks.drop(request.params.id as string),
  }));
  router.add('GET', '/_control/faults', () => ({ status: 200, json: { faults: sandbox.faults.list() } }));
  router.add('POST', '/_control/faults', (request) => {
    const body = request.json<Parameters<Sandbox['faults']['add']>[0]>();
    if (!body || !['status', 'reset', 'reset-after', 'latency'].includes(body.kind)) {
      return { status: 400, json: { error: 'kind must be status, reset, reset-after or latency' } };
    }
    return { status: 201, json: sandbox.faults.add(body) };
  });
  router.add('DELETE', '/_control/faults', () => {
    sandbox.faults.reset();
    return { status: 200, json: { faults: [] } };
  });
}
