import { toDecimalString } from '@colchis/core';

/** HTML that is already safe to send: produced by {@link html} or {@link unsafeRaw}. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((item) => render(item)).join('');
  return escapeHtml(String(value));
}

/**
 * Tagged template for HTML: every interpolated string is escaped, nested `html` fragments and
 * arrays of them are inserted as they are. Customer e-mails, gateway messages and course names
 * all pass through here, so nothing a customer or a gateway sends can inject markup.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let index = 0; index < values.length; index++) {
    out += render(values[index] as HtmlValue) + (strings[index + 1] ?? '');
  }
  return new SafeHtml(out);
}

/** Marks a trusted constant string (CSS, a script written here) as HTML. Never pass user input. */
export function unsafeRaw(text: string): SafeHtml {
  return new SafeHtml(text);
}

/** `15000, 'GEL'` -> `150.00 GEL`, exact (no floating point). */
export function formatMoney(amount: number, currency: string): string {
  return `${toDecimalString(amount, currency)} ${currency}`;
}

/** A timestamp (epoch ms) as `2025-01-31 14:05 UTC`. */
export function formatTime(epochMs: number | null | undefined): string {
  if (epochMs === null || epochMs === undefined) return '—';
  return `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A date (epoch ms) as `2025-01-31`. */
export function formatDate(epochMs: number | null | undefined): string {
  if (epochMs === null || epochMs === undefined) return '—';
  return new Date(epochMs).toISOString().slice(0, 10);
}

const STYLE = `
:root{--ink:#1d2330;--muted:#5b6475;--line:#dfe3ea;--brand:#2d5bd7;--ok:#17803d;--bad:#b42318;--warn:#9a6700}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:var(--ink);margin:0;background:#f7f8fa}
header{background:#fff;border-bottom:1px solid var(--line);padding:.75rem 1.5rem;display:flex;gap:1.5rem;align-items:center;flex-wrap:wrap}
header .brand{font-weight:700;font-size:1.1rem;color:var(--ink);text-decoration:none}
header nav{display:flex;gap:1rem;flex:1;flex-wrap:wrap}
header nav a{color:var(--brand);text-decoration:none}
header .who{color:var(--muted);font-size:.9rem}
main{max-width:68rem;margin:1.5rem auto;padding:0 1.5rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .75rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(18rem,1fr));gap:1rem}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:1rem 1.25rem}
.card h3{margin:.25rem 0 .5rem}
.price{font-size:1.3rem;font-weight:600;margin:.5rem 0}
.muted{color:var(--muted);font-size:.9rem}
.badge{display:inline-block;border-radius:999px;padding:.1rem .6rem;font-size:.8rem;border:1px solid var(--line);background:#fff}
.badge.ok{color:var(--ok);border-color:#a6d8b5;background:#effaf2}
.badge.bad{color:var(--bad);border-color:#f3b8b2;background:#fef3f2}
.badge.warn{color:var(--warn);border-color:#ead49a;background:#fff8e6}
.notice{border-radius:10px;padding:1rem 1.25rem;margin:1rem 0;border:1px solid var(--line);background:#fff}
.notice.ok{border-color:#a6d8b5;background:#effaf2}
.notice.bad{border-color:#f3b8b2;background:#fef3f2}
.notice.warn{border-color:#ead49a;background:#fff8e6}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line);font-size:.9rem}
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#f0f2f6;font-weight:600}
form.inline{display:inline-flex;gap:.35rem;align-items:center;margin:.1rem 0}
input,select{font:inherit;padding:.4rem .5rem;border:1px solid #c5cbd6;border-radius:6px}
input.amount{width:6.5rem}
button{font:inherit;padding:.45rem .9rem;border-radius:6px;border:1px solid var(--brand);background:var(--brand);color:#fff;cursor:pointer}
button.secondary{background:#fff;color:var(--brand)}
button.danger{background:#fff;color:var(--bad);border-color:var(--bad)}
code{font-size:.85em}
`;

/** Renders a full page of an example app. */
export function layout(options: {
  title: string;
  appName: string;
  nav: ReadonlyArray<{ href: string; label: string }>;
  who?: SafeHtml | string | undefined;
  body: SafeHtml;
  head?: SafeHtml | undefined;
}): SafeHtml {
  return html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · ${options.appName}</title>
<style>${unsafeRaw(STYLE)}</style>${options.head}</head>
<body><header><a class="brand" href="/">${options.appName}</a>
<nav>${options.nav.map((item) => html`<a href="${item.href}">${item.label}</a>`)}</nav>
<span class="who">${options.who}</span></header>
<main>${options.body}</main></body></html>`;
}
