// The sandbox's control API (`/_control/...`) over HTTP, as a test outside the process would use
// it: move the clock; hold, drop, deliver and duplicate webhooks.

/** One webhook delivery as `GET /_control/webhooks` lists it. */
export interface WebhookDeliveryInfo {
  id: string;
  gateway: string;
  url: string;
  body: string;
  state: 'queued' | 'delivered' | 'failed' | 'dropped';
  attempts: number;
  lastStatus?: number;
  createdAt: number;
}

async function call<T>(sandboxUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sandboxUrl}/_control${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} /_control${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A client of one sandbox's control API. */
export function sandboxControl(sandboxUrl: string) {
  return {
    /** Moves the sandbox clock forward (apps on it run their due jobs before this resolves). */
    advanceClock: (ms: number) => call<{ now: number }>(sandboxUrl, 'POST', '/clock/advance', { ms }),
    /** `deliver` (default), `hold`, `drop`, `duplicate` or `delay` for the next webhooks. */
    setWebhookPolicy: (action: 'deliver' | 'hold' | 'drop' | 'duplicate', count?: number) =>
      call(sandboxUrl, 'POST', '/webhooks/policy', count === undefined ? { action } : { action, count }),
    /** Every delivery so far (optionally only those sent to URLs starting with `urlPrefix`). */
    async webhooks(urlPrefix?: string): Promise<WebhookDeliveryInfo[]> {
      const { deliveries } = await call<{ deliveries: WebhookDeliveryInfo[] }>(
        sandboxUrl,
        'GET',
        '/webhooks',
      );
      return urlPrefix ? deliveries.filter((delivery) => delivery.url.startsWith(urlPrefix)) : deliveries;
    },
    deliver: (id: string) =>
      call<WebhookDeliveryInfo>(sandboxUrl, 'POST', `/webhooks/${encodeURIComponent(id)}/deliver`),
    duplicate: (id: string) =>
      call<WebhookDeliveryInfo>(sandboxUrl, 'POST', `/webhooks/${encodeURIComponent(id)}/duplicate`),
  };
}

/** The client type of {@link sandboxControl}. */
export type SandboxControl = ReturnType<typeof sandboxControl>;
