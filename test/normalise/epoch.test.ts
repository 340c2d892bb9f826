import { describe, expect, it } from 'vitest';
import { epochSecondsToMs } from '../../stream/normalise/common.js';

describe('epochSecondsToMs', () => {
  it('truncates sub-milliseconds exactly, whatever the binary float says', () => {
    expect(epochSecondsToMs('1652292621.986')).toBe(1652292621986);
    expect(epochSecondsToMs(1652292621.986)).toBe(1652292621986);
    expect(epochSecondsToMs('1521911720.123999')).toBe(1521911720123);
    expect(epochSecondsToMs('1521911720')).toBe(1521911720000);
    expect(epochSecondsToMs('1521911720.5')).toBe(1521911720500);
  });

  it('gives null for what is not a number', () => {
    expect(epochSecondsToMs('')).toBeNull();
    expect(epochSecondsToMs('-')).toBeNull();
    expect(epochSecondsToMs(null)).toBeNull();
    expect(epochSecondsToMs(Number.NaN)).toBeNull();
  });
});
