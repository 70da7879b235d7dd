import type { Dispatcher } from 'undici';
import type { HttpRequest, HttpResponse, Transport } from './transport.js';

let undiciModule: Promise<typeof import('./undici-transport.js')> | undefined;
let shared: Transport | undefined;

/**
 * The transport a client uses when none is given: undici on Node, loaded on the first request
 * rather than at import, so importing a Colchis package stays cheap (cold starts in serverless
 * functions pay for every module evaluated up front). Pass `dispatcher` for mutual TLS, proxies
 * or a `MockAgent`.
 */
export function defaultTransport(settings: { dispatcher?: Dispatcher | undefined } = {}): Transport {
  if (!settings.dispatcher && shared) return shared;
  let loaded: Transport | undefined;
  const transport: Transport = {
    name: 'undici',
    enforcesTimeout: true,
    request(request: HttpRequest): Promise<HttpResponse> {
      if (loaded) return loaded.request(request);
      undiciModule ??= import('./undici-transport.js');
      return undiciModule.then((module) => {
        loaded ??= module.undiciTransport(settings);
        return loaded.request(request);
      });
    },
    async close() {
      await loaded?.close?.();
    },
  };
  if (!settings.dispatcher) shared = transport;
  return transport;
}
