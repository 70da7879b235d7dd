import { createServer } from 'node:https';
import { createSecureContext } from 'node:tls';
import { Agent, request } from 'undici';
import { procreditCertificates } from './procredit-certificates.js';

const t0 = Date.now();
const c = await procreditCertificates();
console.log('generated in', Date.now() - t0, 'ms');
const server = createServer({ key: c.server.privateKey, cert: c.server.certificate, ca: [c.ca], requestCert: true, rejectUnauthorized: true }, (req, res) => { res.end(JSON.stringify({ ok: true, cn: (req.socket as any).getPeerCertificate().subject?.CN })); });
server.on('tlsClientError', (e) => console.log('   server tlsClientError:', (e as any).code, e.message));
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as any).port;
async function tryIt(name: string, connect: any) {
  const agent = new Agent({ connect });
  try {
    const r = await request(`https://localhost:${port}/order/1`, { dispatcher: agent, method: 'POST', body: '{"a":1}' });
    console.log(name, r.statusCode, await r.body.text());
  } catch (e: any) {
    const chain = []; for (let x = e; x; x = x.cause) chain.push(`${x.name}/${x.code}: ${x.message}`);
    console.log(name, 'ERROR', chain.join(' <- '));
  }
  await agent.close();
}
await tryIt('good', { ca: c.ca, cert: c.client.certificate, key: c.client.privateKey });
await tryIt('goodctx', { secureContext: createSecureContext({ ca: c.ca, cert: c.client.certificate, key: c.client.privateKey }) });
await tryIt('pfx', { ca: c.ca, pfx: Buffer.from(c.clientPfx.base64, 'base64'), passphrase: c.clientPfx.passphrase });
await tryIt('enc', { ca: c.ca, cert: c.client.certificate, key: c.clientEncryptedKey.privateKey, passphrase: c.clientEncryptedKey.passphrase });
await tryIt('nocert', { ca: c.ca });
await tryIt('wrongca', { ca: c.ca, cert: c.wrongCaClient.certificate, key: c.wrongCaClient.privateKey });
await tryIt('expired', { ca: c.ca, cert: c.expiredClient.certificate, key: c.expiredClient.privateKey });
await tryIt('untrusted-server', { ca: c.wrongCa, cert: c.client.certificate, key: c.client.privateKey });
await tryIt('nocert-tls12', { ca: c.ca, maxVersion: 'TLSv1.2' });
await tryIt('wrongca-tls12', { ca: c.ca, cert: c.wrongCaClient.certificate, key: c.wrongCaClient.privateKey, maxVersion: 'TLSv1.2' });
await tryIt('expired-tls12', { ca: c.ca, cert: c.expiredClient.certificate, key: c.expiredClient.privateKey, maxVersion: 'TLSv1.2' });
try { createSecureContext({ cert: c.client.certificate, key: c.clientEncryptedKey.privateKey, passphrase: 'nope' }); } catch (e: any) { console.log('badpass', e.code, e.message); }
try { createSecureContext({ cert: c.client.certificate, key: c.clientEncryptedKey.privateKey }); } catch (e: any) { console.log('nopass', e.code, e.message); }
try { createSecureContext({ cert: c.server.certificate, key: c.client.privateKey }); } catch (e: any) { console.log('mismatch', e.code, e.message); }
try { createSecureContext({ pfx: Buffer.from(c.clientPfx.base64, 'base64'), passphrase: 'x' }); } catch (e: any) { console.log('pfxpass', e.code, e.message); }
try { createSecureContext({ cert: 'garbage', key: c.client.privateKey }); } catch (e: any) { console.log('garbage', e.code, e.message); }
try { createSecureContext({ ca: 'garbage' }); } catch (e: any) { console.log('garbage-ca', e.code, e.message); }
server.close();
