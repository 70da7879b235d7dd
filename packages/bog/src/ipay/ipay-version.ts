declare const __PACKAGE_VERSION__: string | undefined;

/** The version of `@colchis/bog` (injected at build time), sent in the iPay client's User-Agent. */
export const VERSION: string = typeof __PACKAGE_VERSION__ === 'string' ? __PACKAGE_VERSION__ : '0.0.0-dev';
