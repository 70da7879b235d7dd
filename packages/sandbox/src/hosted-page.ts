/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Renders a sandbox page: a clear banner saying it is not a real bank, and the content. */
export function renderPage(options: { title: string; gateway: string; body: string }): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(options.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;color:#1d2330}
.banner{background:#ffd166;padding:.5rem 1rem;font-size:.85rem}
main{max-width:28rem;margin:2rem auto;background:#fff;border-radius:8px;padding:1.5rem;box-shadow:0 1px 4px #0002}
label{display:block;margin:.75rem 0 .25rem;font-size:.85rem}
input{width:100%;padding:.5rem;box-sizing:border-box;font-size:1rem}
button{margin-top:1rem;padding:.6rem 1rem;font-size:1rem;cursor:pointer}
.amount{font-size:1.5rem;font-weight:600}.muted{color:#667;font-size:.85rem}
table{border-collapse:collapse;font-size:.8rem}td{padding:.1rem .5rem}
</style></head>
<body><div class="banner">Colchis sandbox: ${escapeHtml(options.gateway)}. No real money moves here.</div>
<main>${options.body}</main></body></html>`;
}

/**
 * The expiry the card forms are pre-filled with: December 2049, far beyond anything a test moves
 * the sandbox clock to (a renewal test advances it by years), so a card typed on a hosted page
 * never turns out expired on the sandbox's calendar. Two-digit years up to 68 read as 20xx
 * everywhere, so this stays in the future for every parser.
 */
export const SANDBOX_CARD_EXPIRY = '12/49';

/**
 * A card form posting to `action`. Test cards pick the outcome; the table lists them. Expiry and
 * CVC come pre-filled ({@link SANDBOX_CARD_EXPIRY}, `123`), so only the number needs typing.
 */
export function renderCardForm(options: {
  action: string;
  merchant: string;
  amountText: string;
  description?: string | undefined;
  hidden?: Record<string, string>;
  cards: ReadonlyArray<{ number: string; outcome: string }>;
  cancelUrl?: string | undefined;
}): string {
  const hidden = Object.entries(options.hidden ?? {})
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const rows = options.cards
    .map(
      (card) =>
        `<tr><td><code>${escapeHtml(card.number)}</code></td><td>${escapeHtml(card.outcome)}</td></tr>`,
    )
    .join('');
  return `<h1>${escapeHtml(options.merchant)}</h1>
<p class="amount" id="amount">${escapeHtml(options.amountText)}</p>
${options.description ? `<p>${escapeHtml(options.description)}</p>` : ''}
<form method="post" action="${escapeHtml(options.action)}" id="card-form">${hidden}
<label for="card-number">Card number</label><input id="card-number" name="card_number" autocomplete="off" inputmode="numeric" value="">
<label for="card-expiry">Expiry (MM/YY)</label><input id="card-expiry" name="expiry" value="${SANDBOX_CARD_EXPIRY}">
<label for="card-cvc">CVC</label><input id="card-cvc" name="cvc" value="123">
<button type="submit" id="pay">Pay</button>
</form>
${options.cancelUrl ? `<form method="post" action="${escapeHtml(options.cancelUrl)}"><button type="submit" id="cancel">Cancel payment</button></form>` : ''}
<p class="muted">Test cards</p><table id="test-cards">${rows}</table>`;
}

/** A 3-D Secure challenge page posting the password to `action`. */
export function renderChallenge(options: {
  action: string;
  hidden: Record<string, string>;
  hint: string;
}): string {
  const hidden = Object.entries(options.hidden)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return `<h1>3-D Secure</h1><p>${escapeHtml(options.hint)}</p>
<form method="post" action="${escapeHtml(options.action)}" id="challenge-form">${hidden}
<label for="acs-password">Password</label><input id="acs-password" name="password" type="password">
<button type="submit" id="confirm">Confirm</button></form>`;
}
