/**
 * Order passwords and payment ids seen by this process, kept so the HTTP client can strip them
 * from anything it logs or throws even where they appear outside a field named `password`.
 * Bounded: the oldest entries are dropped first.
 */
export interface SecretRegistry {
  add(value: string | null | undefined): void;
  values(): readonly string[];
}

/** Creates a {@link SecretRegistry} holding at most `limit` values. */
export function createSecretRegistry(fixed: readonly string[] = [], limit = 256): SecretRegistry {
  const seen = new Set<string>();
  let snapshot: readonly string[] = [...fixed];
  return {
    add(value) {
      // Short values would redact innocent text (core skips secrets under 4 characters too).
      if (!value || value.length < 4 || seen.has(value)) return;
      seen.add(value);
      if (seen.size > limit) seen.delete(seen.values().next().value as string);
      snapshot = [...fixed, ...seen];
    },
    values: () => snapshot,
  };
}
