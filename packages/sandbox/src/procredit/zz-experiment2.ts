import { createServer } from 'node:https';
import { connect } from 'node:tls';
import { procreditCertificates } from './procredit-certificates.js';
const c = await procreditCertificates();
const server = createServer({ key: c.server.privateKey, cert: c.server.certificate, ca: [c.ca], requestCert: true, rejectUnauthorized: true }, (req, res) => { res.end('ok'); });
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as any).port;
async function probe(name: string, opts: any, write: boolean) {
  await new Promise<void>((resolve) => {
    const events: string[] = [];
    const s = connect({ host: '127.0.0.1', port, servername: 'localhost', ...opts });
    s.on('secureConnect', () => { events.push('secureConnect'); if (write) s.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n'); });
    s.on('error', (e: any) => events.push(`error ${e.code}`));
    s.on('end', () => events.push('end'));
    s.on('data', (d) => events.push('data ' + d.length));
    s.on('close', () => { console.log(name, write, events.join(', ')); resolve(); });
    setTimeout(() => s.destroy(), 1000);
  });
}
for (const w of [false, true]) {
await probe('nocert', { ca: c.ca }, w);
await probe('wrongca', { ca: c.ca, cert: c.wrongCaClient.certificate, key: c.wrongCaClient.privateKey }, w);
await probe('expired', { ca: c.ca, cert: c.expiredClient.certificate, key: c.expiredClient.privateKey }, w);
await probe('good', { ca: c.ca, cert: c.client.certificate, key: c.client.privateKey }, w);
}
server.close();
