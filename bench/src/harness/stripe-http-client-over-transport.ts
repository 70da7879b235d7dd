import { Readable } from 'node:stream';
import type { HttpResponse, Transport } from '@colchis/core';
import Stripe from 'stripe';

/**
 * A stripe-node `HttpClient` that sends through a Colchis transport (undici `dispatch`, one
 * deadline timer) instead of stripe-node's default `node:http` client. Not part of any package:
 * the provider benchmark uses it to measure what the Stripe adapter would gain if it offered this
 * as an option (a proposal in `bench/analysis.md`). stripe-node keeps everything else (headers,
 * telemetry, retries, its resource objects).
 */
export function createStripeHttpClientOverTransport(transport: Transport): Stripe.HttpClient {
  return new TransportHttpClient(transport);
}

class TransportHttpClient extends Stripe.HttpClient {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    super();
    this.#transport = transport;
  }

  override getClientName(): string {
    return `colchis-${this.#transport.name}`;
  }

  override async makeRequest(
    host: string,
    port: string,
    path: string,
    method: string,
    headers: Record<string, string | number | string[]>,
    requestData: string,
    protocol: string,
    timeout: number,
  ): Promise<Stripe.HttpClientResponse> {
    const lowerCase: Record<string, string> = {};
    for (const name of Object.keys(headers)) lowerCase[name.toLowerCase()] = String(headers[name]);
    const hasBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
    try {
      const response = await this.#transport.request({
        method,
        url: `${protocol === 'http' ? 'http' : 'https'}://${host}:${port}${path}`,
        headers: lowerCase,
        body: requestData || (hasBody ? '' : undefined),
        timeoutMs: timeout,
      });
      return new TransportHttpClientResponse(response);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'COLCHIS_TRANSPORT_TIMEOUT')
        throw Stripe.HttpClient.makeTimeoutError();
      throw error;
    }
  }
}

class TransportHttpClientResponse extends Stripe.HttpClientResponse {
  readonly #response: HttpResponse;

  constructor(response: HttpResponse) {
    super(response.status, response.headers as Record<string, string | string[]>);
    this.#response = response;
  }

  override getRawResponse(): unknown {
    return this.#response;
  }

  override toStream(streamCompleteCallback: () => void): Readable {
    streamCompleteCallback();
    return Readable.from([this.#response.body]);
  }

  override toJSON(): Promise<unknown> {
    return Promise.resolve(JSON.parse(this.#response.body));
  }
}
