// Test helpers: a webhook receiver on a real socket and a "shopper" who fills in the sandbox's
// hosted pages over HTTP.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookEvent } from '@colchis/core';
import { expect } from 'vitest';

/** What the receiver saw: verified events and rejected deliveries. */
export interface WebhookReceiver {
  url: string;
  events: WebhookEvent[];
  rejected: string[];
  /** Raw bodies as delivered. */
  bodies: string[];
  close(): Promise<void>;
}

/** Starts a webhook endpoint that verifies each delivery with `verify` and answers 200 or 400. */
export async function startWebhookReceiver(
  verify: (
    rawBody: Uint8Array,
    headers: Record<string, string | string[] | undefined>,
  ) => Promise<WebhookEvent>,
): Promise<WebhookReceiver> {
  const events: WebhookEvent[] = [];
  const rejected: string[] = [];
  const bodies: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      bodies.push(raw.toString('utf8'));
      verify(new Uint8Array(raw), request.headers).then(
        (event) => {
          events.push(event);
          response.writeHead(200).end('ok');
        },
        (error: unknown) => {
          rejected.push(String((error as Error)?.message ?? error));
          response.writeHead(400).end('rejected');
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/ioka`,
    events,
    rejected,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The final answer of the hosted flow: where the shopper was sent, or the page shown. */
export interface CheckoutResult {
  status: number;
  location: string | undefined;
  html: string;
}

/**
 * Pays on a hosted checkout (or card-save) page like a shopper: opens it, submits the card,
 * answers the 3-D Secure challenge with `password` when asked.
 */
export async function payOnHostedPage(
  pageUrl: string,
  fields: Record<string, string>,
  options: { password?: string } = {},
): Promise<CheckoutResult> {
  const page = await fetch(pageUrl);
  const html = await page.text();
  expect(page.status, html).toBe(200);
  expect(html).toContain('id="card-form"');
  const action = /<form method="post" action="([^"]+)" id="card-form"/
    .exec(html)?.[1]
    ?.replaceAll('&#38;', '&');
  expect(action).toBeDefined();
  let response = await post(action as string, { expiry: '12/30', cvc: '123', ...fields });
  let location = response.headers.get('location') ?? undefined;
  if (response.status === 303 && location?.includes('/3ds')) {
    const challenge = await fetch(location);
    const challengeHtml = await challenge.text();
    expect(challengeHtml).toContain('id="challenge-form"');
    response = await post(location, { password: options.password ?? '12345678' });
    location = response.headers.get('location') ?? undefined;
  }
  return { status: response.status, location, html: await response.text() };
}

async function post(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}
