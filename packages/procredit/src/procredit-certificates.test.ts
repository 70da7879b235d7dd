import { describe, expect, it } from 'vitest';
import { normalizePemText } from './procredit-certificates.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\nabc=\n-----END CERTIFICATE-----\n';

describe('normalizePemText', () => {
  it('repairs PEM as it arrives from configuration', () => {
    expect(normalizePemText(PEM)).toBe(PEM);
    expect(normalizePemText(PEM.trim().replace(/\n/g, '\\n'))).toBe(PEM);
    expect(normalizePemText(`"${PEM.trim().replace(/\n/g, '\\n')}"`)).toBe(PEM);
    expect(normalizePemText(PEM.replace(/\n/g, '\r\n'))).toBe(PEM);
    expect(normalizePemText(`   ${PEM.replace(/\n/g, '\n   ')}`)).toBe(PEM);
    expect(normalizePemText(new TextEncoder().encode(PEM))).toBe(PEM);
  });

  it('decodes base64 of a PEM, and returns bytes for base64 of anything else (DER)', () => {
    expect(normalizePemText(Buffer.from(PEM).toString('base64'))).toBe(PEM);
    const der = normalizePemText(Buffer.from([0x30, 0x82, 0x01, 0x0a]).toString('base64'));
    expect(der).toBeInstanceOf(Uint8Array);
  });
});
