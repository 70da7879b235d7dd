/** A value decoded from Stripe's form encoding: strings, nested records and arrays. */
export type StripeParam = string | StripeParams | StripeParam[];
/** Decoded Stripe parameters. */
export interface StripeParams {
  [key: string]: StripeParam;
}

/**
 * Decodes Stripe's `application/x-www-form-urlencoded` bodies and query strings, which nest with
 * brackets the way stripe-node writes them: `metadata[reference]=x`,
 * `line_items[0][price_data][unit_amount]=4900`, `expand[0]=latest_charge` (and `expand[]=`).
 * Numeric segments make arrays. Values stay strings: each route reads the types it expects.
 */
export function parseStripeParams(text: string | URLSearchParams): StripeParams {
  const root: StripeParams = {};
  const entries = typeof text === 'string' ? new URLSearchParams(text) : text;
  for (const [rawKey, value] of entries) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!match) continue;
    const segments = [
      match[1] as string,
      ...[...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? ''),
    ];
    let container: StripeParams | StripeParam[] = root;
    for (let index = 0; index < segments.length; index++) {
      const segment = segments[index] as string;
      const last = index === segments.length - 1;
      const nextIsArray = !last && /^\d*$/.test(segments[index + 1] as string);
      if (Array.isArray(container)) {
        const position = segment === '' ? container.length : Number(segment);
        if (last) {
          container[position] = value;
        } else {
          container[position] ??= nextIsArray ? [] : {};
          container = container[position] as StripeParams | StripeParam[];
        }
      } else if (last) {
        container[segment] = value;
      } else {
        const existing = container[segment];
        if (existing === undefined || typeof existing === 'string')
          container[segment] = nextIsArray ? [] : {};
        container = container[segment] as StripeParams | StripeParam[];
      }
    }
  }
  return root;
}

/** Reads a string parameter (`undefined` when absent). */
export function stringParam(params: StripeParams, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' ? value : undefined;
}

/** Reads a nested record parameter (`undefined` when absent). */
export function recordParam(params: StripeParams, name: string): StripeParams | undefined {
  const value = params[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}

/** Reads a list parameter (`[]` when absent); a record with numeric keys counts as a list. */
export function listParam(params: StripeParams, name: string): StripeParam[] {
  const value = params[name];
  if (Array.isArray(value)) return value.filter((item) => item !== undefined);
  return [];
}

/** Reads metadata: a record of strings (empty values remove keys, as in Stripe). */
export function metadataParam(params: StripeParams, name = 'metadata'): Record<string, string> | undefined {
  const value = recordParam(params, name);
  if (!value) return stringParam(params, name) === '' ? {} : undefined;
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) if (typeof item === 'string') out[key] = item;
  return out;
}
