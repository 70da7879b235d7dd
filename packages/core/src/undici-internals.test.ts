import * as undici from 'undici';
import { parseHeaders } from 'undici/lib/core/util.js';
import { getGlobalDispatcher } from 'undici/lib/global.js';
import { describe, expect, it } from 'vitest';

// undici-transport.ts imports these two undici modules by path rather than undici's index, to
// keep the first request of a cold start cheap. An undici update that moved or changed them must
// fail here, not in production.
describe('the undici modules the transport imports by path', () => {
  it('share the global dispatcher with undici’s index, so setGlobalDispatcher (MockAgent, proxies) applies', () => {
    expect(getGlobalDispatcher()).toBe(undici.getGlobalDispatcher());
    const previous = undici.getGlobalDispatcher();
    const replacement = new undici.Agent();
    try {
      undici.setGlobalDispatcher(replacement);
      expect(getGlobalDispatcher()).toBe(replacement);
    } finally {
      undici.setGlobalDispatcher(previous);
      void replacement.close();
    }
  });

  it('parse raw headers exactly as undici’s util.parseHeaders does', () => {
    const raw = ['Content-Type', 'application/json', 'Set-Cookie', 'a=1', 'set-cookie', 'b=2'].map((text) =>
      Buffer.from(text),
    );
    expect(parseHeaders(raw)).toEqual(undici.util.parseHeaders(raw));
    expect(parseHeaders(raw)).toEqual({ 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
  });
});
