import { describe, expect, it } from 'vitest';
import { parseCliOptions } from './cli-options.js';

const parse = (...argv: string[]) => parseCliOptions(argv, '/tmp/profiles');

describe('parseCliOptions', () => {
  it('writes the reports on a full run of every benchmark, pinned, from the sources', () => {
    expect(parse()).toEqual({
      quick: false,
      only: [],
      write: true,
      profileDirectory: undefined,
      check: false,
      dist: false,
      pin: true,
      core: undefined,
      render: false,
      help: false,
    });
  });
  it('does not write a quick, partial or scratch-core run unless told to', () => {
    expect(parse('--quick').write).toBe(false);
    expect(parse('--only=transport').write).toBe(false);
    expect(parse('--core=/tmp/core/src/index.ts').write).toBe(false);
    expect(parse('--quick', '--write').write).toBe(true);
    expect(parse('--no-write').write).toBe(false);
  });
  it('reads lists, directories and switches', () => {
    const options = parse('--only=transport,token-cache', '--profile', '--check', '--dist', '--no-pin');
    expect(options.only).toEqual(['transport', 'token-cache']);
    expect(options.profileDirectory).toBe('/tmp/profiles');
    expect(parse('--profile=/var/p').profileDirectory).toBe('/var/p');
    expect(options.check && options.dist && !options.pin).toBe(true);
    expect(parse('--render').render).toBe(true);
  });
  it('rejects an unknown option with the usage', () => {
    expect(() => parse('--fast')).toThrow(/Unknown option "--fast"[\s\S]*Usage: pnpm bench/);
  });
});
