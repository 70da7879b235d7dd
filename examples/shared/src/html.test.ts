import { describe, expect, it } from 'vitest';
import { formatMoney, html, unsafeRaw } from './html.js';

describe('html', () => {
  it('escapes every interpolated string, including attribute quotes', () => {
    const name = '"><script>alert(1)</script>';
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;">&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;</p>',
    );
  });

  it('inserts nested fragments and arrays as they are, and drops empty values', () => {
    const items = ['a&b', 'c'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${undefined}${null}${false}${unsafeRaw('<hr>')}`.value).toBe(
      '<ul><li>a&#38;b</li><li>c</li></ul><hr>',
    );
  });

  it('formats money exactly from minor units', () => {
    expect(formatMoney(15000, 'GEL')).toBe('150.00 GEL');
    expect(formatMoney(5, 'USD')).toBe('0.05 USD');
    expect(formatMoney(2500000, 'KZT')).toBe('25000.00 KZT');
  });
});
