import type { RouteHandler, Router, SandboxRequest, SandboxResponse } from '../router.js';
import { type IokaSandboxEngine, IokaSandboxError } from './ioka-sandbox-engine.js';
import {
  cardOut,
  customerOut,
  eventOut,
  type IokaCustomerRecord,
  type IokaOrderRecord,
  type IokaSubscriptionRecord,
  iokaId,
  iokaSecret,
  orderOut,
  parseIokaTime,
  paymentOut,
  refundOut,
  subscriptionOut,
  webhookOut,
} from './ioka-sandbox-records.js';

// The emulated ioka v2 REST API under `/ioka/v2`. Answers follow OpenAPI 2.8: 201 for creates,
// bare objects for GET by id (the order is not wrapped), arrays plus `x-count` for lists,
// `{ code, message }` errors with the documented codes.

const WEBHOOK_EVENT_NAMES = new Set([
  'PAYMENT_APPROVED',
  'PAYMENT_CAPTURED',
  'PAYMENT_CANCELLED',
  'PAYMENT_CANCELED',
  'PAYMENT_DECLINED',
  'ORDER_EXPIRED',
  'CARD_APPROVED',
  'CARD_DECLINED',
]);

type Body = Record<string, unknown>;

/** Mounts the API routes; every one requires the sandbox's `API-KEY`. */
export function mountIokaApiRoutes(router: Router, engine: IokaSandboxEngine, apiKey: string): void {
  const route = (method: string, path: string, handler: (request: SandboxRequest) => SandboxResponse) => {
    const wrapped: RouteHandler = (request) => {
      if (request.headers['api-key'] !== apiKey) {
        return error(401, 'Unauthorized', 'Invalid or missing API-KEY header');
      }
      try {
        return handler(request);
      } catch (caught) {
        if (caught instanceof IokaSandboxError) {
          return {
            status: caught.status,
            json: { code: caught.code, message: caught.message, ...caught.extra },
          };
        }
        throw caught;
      }
    };
    router.add(method, `/ioka/v2${path}`, wrapped);
  };
  const orderJson = (order: IokaOrderRecord) => orderOut(order, engine.orderCheckoutUrl(order));
  const customerJson = (customer: IokaCustomerRecord) =>
    customerOut(customer, engine.customerCheckoutUrl(customer));
  const subscriptionJson = (subscription: IokaSubscriptionRecord) =>
    subscriptionOut(subscription, engine.cards.get(subscription.card_id));

  // Orders
  route('POST', '/orders', (request) => {
    const body = jsonBody(request);
    const amount = integer(body.amount, 'amount', 1);
    const currency = optionalString(body.currency, 'currency') ?? 'KZT';
    if (currency !== 'KZT') invalid('currency: only KZT is supported');
    const captureMethod = optionalString(body.capture_method, 'capture_method') ?? 'AUTO';
    if (captureMethod !== 'AUTO' && captureMethod !== 'MANUAL')
      invalid('capture_method must be AUTO or MANUAL');
    const externalId = optionalString(body.external_id, 'external_id');
    if (externalId !== undefined && externalId === '') invalid('external_id must not be empty');
    const attempts = body.attempts === undefined ? 10 : integer(body.attempts, 'attempts', 1, 50);
    const dueDate = optionalString(body.due_date, 'due_date');
    const dueAt = dueDate === undefined ? undefined : parseIokaTime(dueDate);
    if (dueDate !== undefined && dueAt === undefined)
      invalid('due_date must be a date-time such as 2019-08-24T14:15:22');
    for (const field of ['back_url', 'success_url', 'failure_url']) optionalUrl(body[field], field);
    const customerId = optionalString(body.customer_id, 'customer_id');
    const cardId = optionalString(body.card_id, 'card_id');
    if (customerId !== undefined) engine.customer(customerId);
    if (cardId !== undefined) {
      if (customerId === undefined) invalid('card_id needs customer_id');
      const card = engine.card(customerId as string, cardId);
      if (card.status !== 'APPROVED') invalid(`card ${cardId} is ${card.status}, not APPROVED`);
    }
    if (
      body.extra_info !== undefined &&
      (typeof body.extra_info !== 'object' || Array.isArray(body.extra_info))
    ) {
      invalid('extra_info must be an object');
    }
    if (externalId !== undefined) {
      for (const existing of engine.orders.values()) {
        if (existing.external_id === externalId) {
          throw new IokaSandboxError(
            409,
            'OrderExists',
            `Order with external_id ${externalId} already exists`,
          );
        }
      }
    }
    const order = engine.newOrder({
      amount,
      currency,
      capture_method: captureMethod,
      external_id: externalId ?? null,
      description: optionalString(body.description, 'description') ?? null,
      extra_info: body.extra_info ?? null,
      attempts,
      due_date: dueDate ?? null,
      dueAt,
      customer_id: customerId ?? null,
      card_id: cardId ?? null,
      back_url: (body.back_url as string | undefined) ?? null,
      success_url: (body.success_url as string | undefined) ?? null,
      failure_url: (body.failure_url as string | undefined) ?? null,
      template: optionalString(body.template, 'template') ?? null,
    });
    return { status: 201, json: { order: orderJson(order), order_access_token: order.access_token } };
  });

  route('GET', '/orders', (request) => {
    const query = request.query;
    const now = engine.now();
    let orders = [...engine.orders.values()];
    for (const order of orders) engine.refresh(order, now);
    orders = orders.filter(
      (order) =>
        matches(query.get('order_id'), order.id) &&
        matches(query.get('external_id'), order.external_id) &&
        matches(query.get('order_status'), order.status) &&
        inDateRange(query, order.createdAt) &&
        inAmountRange(query, order.amount),
    );
    return page(orders.sort((left, right) => right.createdAt - left.createdAt).map(orderJson), query);
  });

  route('GET', '/orders/:orderId', (request) => ({
    status: 200,
    json: orderJson(engine.order(param(request, 'orderId'))),
  }));

  route('POST', '/orders/:orderId/capture', (request) => {
    const order = engine.order(param(request, 'orderId'));
    const body = jsonBody(request);
    const amount = integer(body.amount, 'amount', 100);
    optionalReason(body.reason);
    const payment = order.payments.find((item) => item.status === 'APPROVED');
    if (!payment)
      throw new IokaSandboxError(400, 'OrderHasNoApprovedPayment', 'The order has no approved payment');
    engine.capture(order, payment, amount);
    return { status: 200, json: paymentOut(payment) };
  });

  route('POST', '/orders/:orderId/cancel', (request) => {
    const order = engine.order(param(request, 'orderId'));
    optionalReason(optionalJsonBody(request).reason);
    const payment = order.payments.find((item) => item.status === 'APPROVED');
    if (!payment)
      throw new IokaSandboxError(400, 'OrderHasNoApprovedPayment', 'The order has no approved payment');
    engine.cancel(order, payment);
    return { status: 200, json: paymentOut(payment) };
  });

  route('GET', '/orders/:orderId/refunds', (request) => {
    const order = engine.order(param(request, 'orderId'));
    return { status: 200, json: order.refunds.map(refundOut) };
  });

  route('POST', '/orders/:orderId/refunds', (request) => {
    const order = engine.order(param(request, 'orderId'));
    const body = jsonBody(request);
    const amount = integer(body.amount, 'amount', 100);
    const reason = optionalReason(body.reason);
    const payment = order.payments.find((item) => item.status === 'CAPTURED');
    return { status: 200, json: refundOut(engine.refund(order, payment, amount, reason ?? null)) };
  });

  route('GET', '/orders/:orderId/refunds/:refundId', (request) => {
    const order = engine.order(param(request, 'orderId'));
    const refund = order.refunds.find((item) => item.id === param(request, 'refundId'));
    if (!refund) throw new IokaSandboxError(404, 'RefundNotFound', 'Refund not found');
    return { status: 200, json: refundOut(refund) };
  });

  route('GET', '/orders/:orderId/events', (request) => {
    const order = engine.order(param(request, 'orderId'));
    return { status: 200, json: order.events.map((event) => eventOut(event, { order_id: order.id })) };
  });

  // Payments of an order
  route('GET', '/orders/:orderId/payments', (request) => {
    const order = engine.order(param(request, 'orderId'));
    const query = request.query;
    const payments = order.payments.filter(
      (payment) =>
        matches(query.get('payment_id'), payment.id) &&
        matches(query.get('payment_status'), payment.status) &&
        matches(query.get('customer_id'), payment.payer.customer_id) &&
        matches(query.get('pan_last4'), payment.payer.pan_masked.slice(-4)) &&
        matches(query.get('pan_first6'), payment.payer.pan_masked.slice(0, 6)),
    );
    return page(payments.map(paymentOut), query);
  });

  route('POST', '/orders/:orderId/payments/card', (request) => {
    const order = engine.order(param(request, 'orderId'));
    const body = jsonBody(request);
    const cardId = optionalString(body.card_id, 'card_id');
    let payment: ReturnType<IokaSandboxEngine['startPayment']>;
    if (cardId !== undefined) {
      const card = engine.cards.get(cardId);
      if (!card || (order.customer_id !== null && card.customer_id !== order.customer_id)) {
        throw new IokaSandboxError(404, 'CardNotFound', `Card ${cardId} not found`);
      }
      if (card.status !== 'APPROVED')
        throw new IokaSandboxError(400, 'BindingNotFound', `Card ${cardId} is not saved`);
      // A server paying with a saved card: the customer is not there (a renewal, say).
      payment = engine.startPayment(order, { kind: 'saved', card, merchantInitiated: true });
    } else {
      const pan = optionalString(body.pan, 'pan');
      const exp = optionalString(body.exp, 'exp');
      const cvc = optionalString(body.cvc, 'cvc');
      if (!pan || !/^\d{12,19}$/.test(pan)) invalid('pan must be 12 to 19 digits');
      if (!exp || !/^\d{2}\/\d{2}$/.test(exp)) invalid('exp must be MM/YY');
      if (!cvc || !/^\d{3,4}$/.test(cvc)) invalid('cvc must be 3 or 4 digits');
      payment = engine.startPayment(order, {
        kind: 'card',
        pan: pan as string,
        expiry: exp as string,
        holder: optionalString(body.holder, 'holder'),
        save: body.save === true,
      });
    }
    return { status: 201, json: paymentOut(payment) };
  });

  route('GET', '/orders/:orderId/payments/:paymentId', (request) => {
    const order = engine.order(param(request, 'orderId'));
    return { status: 200, json: paymentOut(engine.payment(order, param(request, 'paymentId'))) };
  });

  route('POST', '/orders/:orderId/payments/:paymentId/capture', (request) => {
    const order = engine.order(param(request, 'orderId'));
    const payment = engine.payment(order, param(request, 'paymentId'));
    const body = jsonBody(request);
    const amount = integer(body.amount, 'amount', 100);
    optionalReason(body.reason);
    engine.capture(order, payment, amount);
    return { status: 200, json: paymentOut(payment) };
  });

  route('POST', '/orders/:orderId/payments/:paymentId/cancel', (request) => {
    const order = engine.order(param(request, 'orderId'));
    const payment = engine.payment(order, param(request, 'paymentId'));
    optionalReason(optionalJsonBody(request).reason);
    engine.cancel(order, payment);
    return { status: 200, json: paymentOut(payment) };
  });

  route('GET', '/orders/:orderId/payments/:paymentId/refunds', (request) => {
    const order = engine.order(param(request, 'orderId'));
    const payment = engine.payment(order, param(request, 'paymentId'));
    const status = request.query.get('refund_status');
    const refunds = order.refunds.filter(
      (refund) => refund.payment_id === payment.id && matches(status, refund.status),
    );
    return page(refunds.map(refundOut), request.query);
  });

  route('POST', '/orders/:orderId/payments/:paymentId/refunds', (request) => {
    const order = engine.order(param(request, 'orderId'));
    const payment = engine.payment(order, param(request, 'paymentId'));
    const body = jsonBody(request);
    const amount = integer(body.amount, 'amount', 100);
    const reason = optionalReason(body.reason);
    return { status: 200, json: refundOut(engine.refund(order, payment, amount, reason ?? null)) };
  });

  // Customers and cards
  route('POST', '/customers', (request) => {
    const body = optionalJsonBody(request);
    const externalId = optionalString(body.external_id, 'external_id');
    if (externalId !== undefined) {
      for (const existing of engine.customers.values()) {
        if (existing.external_id === externalId) {
          throw new IokaSandboxError(
            409,
            'CustomerExists',
            `Customer with external_id ${externalId} already exists`,
          );
        }
      }
    }
    const customer: IokaCustomerRecord = {
      id: iokaId(undefined, 'mixed'),
      status: 'PENDING',
      createdAt: engine.now(),
      external_id: externalId ?? null,
      email: optionalString(body.email, 'email') ?? null,
      phone: optionalString(body.phone, 'phone') ?? null,
      access_token: '',
      events: [],
    };
    customer.access_token = `${customer.id}_secret_${iokaSecret(16)}`;
    customer.events.push(engine.event('CUSTOMER_CREATED'));
    engine.customers.set(customer.id, customer);
    return {
      status: 201,
      json: { customer: customerJson(customer), customer_access_token: customer.access_token },
    };
  });

  route('GET', '/customers', (request) => {
    const query = request.query;
    const customers = [...engine.customers.values()].filter(
      (customer) =>
        matches(query.get('customer_id'), customer.id) &&
        matches(query.get('external_id'), customer.external_id) &&
        matches(query.get('status'), customer.status) &&
        inDateRange(query, customer.createdAt),
    );
    return page(customers.map(customerJson), query);
  });

  route('GET', '/customers/:customerId', (request) => ({
    status: 200,
    json: customerJson(engine.customer(param(request, 'customerId'))),
  }));

  route('DELETE', '/customers/:customerId', (request) => {
    const customer = engine.customer(param(request, 'customerId'));
    engine.customers.delete(customer.id);
    for (const card of [...engine.cards.values()])
      if (card.customer_id === customer.id) engine.cards.delete(card.id);
    return { status: 204, text: '' };
  });

  route('GET', '/customers/:customerId/events', (request) => {
    const customer = engine.customer(param(request, 'customerId'));
    return {
      status: 200,
      json: customer.events.map((event) => eventOut(event, { customer_id: customer.id })),
    };
  });

  route('GET', '/customers/:customerId/cards', (request) => {
    const customer = engine.customer(param(request, 'customerId'));
    const cards = [...engine.cards.values()].filter((card) => card.customer_id === customer.id);
    return { status: 200, json: cards.map(cardOut) };
  });

  route('GET', '/customers/:customerId/cards/:cardId', (request) => ({
    status: 200,
    json: cardOut(engine.card(param(request, 'customerId'), param(request, 'cardId'))),
  }));

  route('DELETE', '/customers/:customerId/cards/:cardId', (request) => {
    const card = engine.card(param(request, 'customerId'), param(request, 'cardId'));
    engine.cards.delete(card.id);
    return { status: 204, text: '' };
  });

  // Subscriptions
  route('POST', '/subscriptions', (request) => {
    const body = jsonBody(request);
    const customerId = requiredString(body.customer_id, 'customer_id');
    const cardId = requiredString(body.card_id, 'card_id');
    engine.customer(customerId);
    const card = engine.card(customerId, cardId);
    if (card.status !== 'APPROVED') invalid(`card ${cardId} is ${card.status}, not APPROVED`);
    const nextPayAt = parseIokaTime(requiredString(body.next_pay, 'next_pay'));
    if (nextPayAt === undefined) invalid('next_pay must be a date-time');
    const unit = (optionalString(body.unit, 'unit') ?? 'MONTH') as IokaSubscriptionRecord['unit'];
    if (!['DAY', 'WEEK', 'MONTH'].includes(unit)) invalid('unit must be DAY, WEEK or MONTH');
    const subscription: IokaSubscriptionRecord = {
      id: iokaId('sub'),
      createdAt: engine.now(),
      amount: integer(body.amount, 'amount', 0),
      currency: optionalString(body.currency, 'currency') ?? 'KZT',
      description: optionalString(body.description, 'description') ?? null,
      extra_info: body.extra_info ?? null,
      customer_id: customerId,
      card_id: cardId,
      status: 'ACTIVE',
      nextPayAt: nextPayAt as number,
      step: body.step === undefined ? 1 : integer(body.step, 'step', 1),
      unit,
      payments: [],
    };
    engine.subscriptions.set(subscription.id, subscription);
    return { status: 201, json: subscriptionJson(subscription) };
  });

  route('GET', '/subscriptions', (request) => {
    const query = request.query;
    const subscriptions = [...engine.subscriptions.values()].filter(
      (subscription) =>
        matches(query.get('subscription_id'), subscription.id) &&
        matches(query.get('status'), subscription.status) &&
        matches(query.get('unit'), subscription.unit) &&
        inAmountRange(query, subscription.amount),
    );
    return page(subscriptions.map(subscriptionJson), query);
  });

  const subscription = (request: SandboxRequest) => {
    const found = engine.subscriptions.get(param(request, 'subscriptionId'));
    if (!found) throw new IokaSandboxError(404, 'SubscriptionNotFound', 'Subscription not found');
    return found;
  };

  route('GET', '/subscriptions/:subscriptionId', (request) => ({
    status: 200,
    json: subscriptionJson(subscription(request)),
  }));

  route('POST', '/subscriptions/:subscriptionId', (request) => {
    const found = subscription(request);
    const status = requiredString(jsonBody(request).status, 'status');
    if (!['ACTIVE', 'PAUSED', 'CANCELLED'].includes(status))
      invalid('status must be ACTIVE, PAUSED or CANCELLED');
    if (found.status === 'CANCELLED' && status !== 'CANCELLED')
      invalid('a cancelled subscription cannot be resumed');
    found.status = status as IokaSubscriptionRecord['status'];
    return { status: 200, json: subscriptionJson(found) };
  });

  route('PATCH', '/subscriptions/:subscriptionId', (request) => {
    const found = subscription(request);
    const body = jsonBody(request);
    if (body.amount !== undefined) found.amount = integer(body.amount, 'amount', 0);
    if (body.description !== undefined)
      found.description = optionalString(body.description, 'description') ?? null;
    if (body.extra_info !== undefined) found.extra_info = body.extra_info;
    if (body.step !== undefined) found.step = integer(body.step, 'step', 1);
    if (body.unit !== undefined) {
      const unit = requiredString(body.unit, 'unit');
      if (!['DAY', 'WEEK', 'MONTH'].includes(unit)) invalid('unit must be DAY, WEEK or MONTH');
      found.unit = unit as IokaSubscriptionRecord['unit'];
    }
    if (body.next_pay !== undefined) {
      const next = parseIokaTime(body.next_pay);
      if (next === undefined) invalid('next_pay must be a date-time');
      found.nextPayAt = next as number;
    }
    if (body.card_id !== undefined || body.customer_id !== undefined) {
      const customerId = optionalString(body.customer_id, 'customer_id') ?? found.customer_id;
      const cardId = optionalString(body.card_id, 'card_id') ?? found.card_id;
      engine.card(customerId, cardId);
      found.customer_id = customerId;
      found.card_id = cardId;
    }
    return { status: 200, json: subscriptionJson(found) };
  });

  route('GET', '/subscriptions/:subscriptionId/payments', (request) => {
    const found = subscription(request);
    const status = request.query.get('payment_status');
    const offset = Number(request.query.get('offset') ?? 0) || 0;
    const limit = Number(request.query.get('limit') ?? 10) || 10;
    const payments = found.payments.filter((payment) => matches(status, payment.status));
    return { status: 200, json: payments.slice(offset, offset + limit).map(paymentOut) };
  });

  // Webhooks
  route('POST', '/webhooks', (request) => {
    const body = jsonBody(request);
    const url = requiredString(body.url, 'url');
    optionalUrl(url, 'url');
    const events = webhookEvents(body.events);
    const webhook = {
      id: iokaId('whk'),
      url,
      events,
      createdAt: engine.now(),
      active: true,
      key: iokaSecret(32),
    };
    engine.webhooks.set(webhook.id, webhook);
    return { status: 201, json: webhookOut(webhook) };
  });

  route('GET', '/webhooks', () => ({ status: 200, json: [...engine.webhooks.values()].map(webhookOut) }));

  const webhook = (request: SandboxRequest) => {
    const found = engine.webhooks.get(param(request, 'webhookId'));
    if (!found) throw new IokaSandboxError(404, 'WebhookNotFound', 'Webhook not found');
    return found;
  };

  route('GET', '/webhooks/:webhookId', (request) => ({ status: 200, json: webhookOut(webhook(request)) }));

  route('PATCH', '/webhooks/:webhookId', (request) => {
    const found = webhook(request);
    const body = jsonBody(request);
    if (body.url !== undefined) {
      optionalUrl(body.url, 'url');
      found.url = body.url as string;
    }
    if (body.events !== undefined) found.events = webhookEvents(body.events);
    return { status: 200, json: webhookOut(found) };
  });

  route('DELETE', '/webhooks/:webhookId', (request) => {
    engine.webhooks.delete(webhook(request).id);
    return { status: 204, text: '' };
  });
}

function error(status: number, code: string, message: string): SandboxResponse {
  return { status, json: { code, message } };
}

function invalid(message: string): never {
  throw new IokaSandboxError(400, 'InvalidRequest', message);
}

function param(request: SandboxRequest, name: string): string {
  return request.params[name] ?? '';
}

function jsonBody(request: SandboxRequest): Body {
  const body = request.json<unknown>();
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    invalid('The body must be a JSON object');
  return body as Body;
}

function optionalJsonBody(request: SandboxRequest): Body {
  return request.body.trim() === '' ? {} : jsonBody(request);
}

function integer(value: unknown, field: string, minimum: number, maximum = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > maximum) {
    invalid(
      `${field} must be an integer from ${minimum}${maximum < Number.MAX_SAFE_INTEGER ? ` to ${maximum}` : ''}`,
    );
  }
  return value as number;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') invalid(`${field} must be a string`);
  return value as string;
}

function requiredString(value: unknown, field: string): string {
  const text = optionalString(value, field);
  if (text === undefined || text === '') invalid(`${field} is required`);
  return text as string;
}

function optionalReason(value: unknown): string | undefined {
  const reason = optionalString(value, 'reason');
  if (reason !== undefined && reason.length > 255) invalid('reason must be at most 255 characters');
  return reason;
}

function optionalUrl(value: unknown, field: string): void {
  const text = optionalString(value, field);
  if (text === undefined) return;
  if (text.length > 2083 || !/^https?:\/\/\S+$/i.test(text)) invalid(`${field} must be an http(s) URL`);
}

function webhookEvents(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) invalid('events must list at least one event');
  for (const name of value as unknown[]) {
    if (typeof name !== 'string' || !WEBHOOK_EVENT_NAMES.has(name))
      invalid(`unknown webhook event ${String(name)}`);
  }
  return [...(value as string[])];
}

function matches(filter: string | null, value: string | null): boolean {
  return filter === null || filter === '' || filter === value;
}

function inDateRange(query: URLSearchParams, createdAt: number): boolean {
  const from = parseIokaTime(query.get('from_dt') ?? undefined);
  const to = parseIokaTime(query.get('to_dt') ?? undefined);
  return (from === undefined || createdAt >= from) && (to === undefined || createdAt <= to);
}

function inAmountRange(query: URLSearchParams, amount: number): boolean {
  const category = query.get('amount_category');
  if (category === 'FIXED') return amount === Number(query.get('fixed_amount'));
  if (category === 'RANGE') {
    const min = query.get('min_amount');
    const max = query.get('max_amount');
    return (min === null || amount >= Number(min)) && (max === null || amount <= Number(max));
  }
  return true;
}

function page(items: unknown[], query: URLSearchParams): SandboxResponse {
  const limit = Math.min(Math.max(Number(query.get('limit') ?? 10) || 10, 1), 1000);
  const pageNumber = Math.max(Number(query.get('page') ?? 1) || 1, 1);
  const slice = items.slice((pageNumber - 1) * limit, pageNumber * limit);
  return { status: 200, json: slice, headers: { 'x-count': String(items.length) } };
}
