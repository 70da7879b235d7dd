/** One outgoing webhook. */
export interface WebhookDelivery {
  id: string;
  gateway: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  /** `queued` (held or waiting), `delivered`, `failed` (after retries), `dropped`. */
  state: 'queued' | 'delivered' | 'failed' | 'dropped';
  attempts: number;
  lastStatus?: number | undefined;
  createdAt: number;
}

/** What happens to the next webhooks (set through `/_control/webhooks/policy`). */
export type WebhookPolicy =
  | { action: 'deliver' }
  /** Keep them queued until released by `deliver`. */
  | { action: 'hold' }
  | { action: 'drop' }
  | { action: 'duplicate' }
  | { action: 'delay'; ms: number };

/** The webhook delivery queue shared by every emulated gateway. */
export interface WebhookQueue {
  /** Queues a delivery; sends it now unless the policy says otherwise. */
  enqueue(delivery: {
    gateway: string;
    url: string;
    body: string;
    headers: Record<string, string>;
  }): WebhookDelivery;
  list(): WebhookDelivery[];
  /** Sends a queued (or any) delivery now, again. */
  deliver(id: string): Promise<WebhookDelivery>;
  /** Sends a copy of a delivery (a duplicate). */
  duplicate(id: string): Promise<WebhookDelivery>;
  drop(id: string): WebhookDelivery;
  /** Policy for the next `count` deliveries (default: until changed). */
  setPolicy(policy: WebhookPolicy, count?: number): void;
  /** Resolves when no delivery is in flight. */
  idle(): Promise<void>;
  reset(): void;
}

/** Creates the queue. Failed deliveries (non-2xx or connection errors) are retried with backoff. */
export function createWebhookQueue(options: { retryDelaysMs?: readonly number[] } = {}): WebhookQueue {
  const retryDelays = options.retryDelaysMs ?? [200, 1000, 3000];
  const deliveries: WebhookDelivery[] = [];
  const inflight = new Set<Promise<unknown>>();
  let policy: WebhookPolicy = { action: 'deliver' };
  let policyCount = Number.POSITIVE_INFINITY;
  let counter = 0;
  let generation = 0;

  async function send(delivery: WebhookDelivery, retry = true): Promise<void> {
    const gen = generation;
    for (let attempt = 0; ; attempt++) {
      delivery.attempts++;
      try {
        const response = await fetch(delivery.url, {
          method: 'POST',
          headers: delivery.headers,
          body: delivery.body,
        });
        await response.arrayBuffer();
        delivery.lastStatus = response.status;
        if (response.ok) {
          delivery.state = 'delivered';
          return;
        }
      } catch {
        delivery.lastStatus = 0;
      }
      const delay = retryDelays[attempt];
      if (!retry || delay === undefined || gen !== generation) {
        delivery.state = 'failed';
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  function track(promise: Promise<unknown>): void {
    inflight.add(promise);
    promise.finally(() => inflight.delete(promise));
  }
  function find(id: string): WebhookDelivery {
    const delivery = deliveries.find((item) => item.id === id);
    if (!delivery) throw new Error(`No webhook delivery ${id}`);
    return delivery;
  }

  return {
    enqueue(input) {
      const delivery: WebhookDelivery = {
        id: `wh_${++counter}`,
        ...input,
        state: 'queued',
        attempts: 0,
        createdAt: Date.now(),
      };
      deliveries.push(delivery);
      const current = policy;
      if (--policyCount <= 0) {
        policy = { action: 'deliver' };
        policyCount = Number.POSITIVE_INFINITY;
      }
      switch (current.action) {
        case 'hold':
          break;
        case 'drop':
          delivery.state = 'dropped';
          break;
        case 'duplicate':
          track(send(delivery).then(() => send({ ...delivery, id: `${delivery.id}_dup`, attempts: 0 })));
          break;
        case 'delay':
          track(new Promise((resolve) => setTimeout(resolve, current.ms)).then(() => send(delivery)));
          break;
        default:
          track(send(delivery));
      }
      return delivery;
    },
    list: () => [...deliveries],
    async deliver(id) {
      const delivery = find(id);
      const promise = send(delivery, false);
      track(promise);
      await promise;
      return delivery;
    },
    async duplicate(id) {
      const original = find(id);
      const copy: WebhookDelivery = {
        ...original,
        id: `wh_${++counter}`,
        state: 'queued',
        attempts: 0,
        createdAt: Date.now(),
      };
      deliveries.push(copy);
      const promise = send(copy, false);
      track(promise);
      await promise;
      return copy;
    },
    drop(id) {
      const delivery = find(id);
      delivery.state = 'dropped';
      return delivery;
    },
    setPolicy(next, count) {
      policy = next;
      policyCount = count ?? Number.POSITIVE_INFINITY;
    },
    async idle() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
    reset() {
      generation++;
      deliveries.length = 0;
      policy = { action: 'deliver' };
      policyCount = Number.POSITIVE_INFINITY;
    },
  };
}
