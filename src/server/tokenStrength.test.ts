import { randomBytes, randomUUID } from 'crypto';
import { estimatedBits, tokenWeakness } from './tokenStrength';

describe('estimatedBits', () => {
  it.each<[string, number]>([
    ['x'.repeat(32), 0], // one character: 0 bits each
    ['ab'.repeat(16), 2], // repeats "ab": 2 characters x 1 bit
    ['Password1'.repeat(4), 27], // repeats a 9-character block: 9 x 2.95 bits = 26.5
    ['0123456789abcdef0123456789abcdef', 9], // repeats 16 characters; 28 of its 31 steps are +1: 16 x 0.548 bits
    ['abcdefghijklmnopqrstuvwxyz0123456789', 7], // 34 of its 35 steps are +1: 36 x 0.187 bits
  ])('%j: %i bits', (token, bits) => {
    expect(estimatedBits(token)).toBe(bits);
  });

  it('random tokens score far above the 80-bit floor: 2,000 of each kind', () => {
    const kinds: Array<[string, () => string, number]> = [
      ['openssl rand -hex 16', () => randomBytes(16).toString('hex'), 90],
      ['openssl rand -base64 24', () => randomBytes(24).toString('base64'), 120],
      ['a UUID', () => randomUUID(), 100],
      ['a token the server makes', () => 'brt_' + randomBytes(32).toString('base64url'), 190],
    ];
    for (const [kind, make, floor] of kinds) {
      let min = Infinity;
      for (let i = 0; i < 2000; i++) {
        const t = make();
        min = Math.min(min, estimatedBits(t));
        expect({ kind, weakness: tokenWeakness(t) }).toEqual({ kind, weakness: undefined });
      }
      expect({ kind, above: min >= floor }).toEqual({ kind, above: true });
    }
  });
});

describe('tokenWeakness', () => {
  it.each<[string, string]>([
    ['short', 'it has 5 characters; at least 32 are needed'],
    ['brt_' + 'a1b2c3d4e5f6 '.repeat(3), 'it contains whitespace or a control character, which an Authorization header cannot carry'],
    ['my-example-token-3f9a8c7d6e5b4a39201', 'it contains "example", a placeholder'],
    ['Password1'.repeat(4), 'it contains "Password", a placeholder'],
    ['ab'.repeat(16), 'it is guessable (repeats, runs or few distinct characters): about 2 bits by a simple estimate, at least 80 are needed'],
  ])('%j: %s', (token, why) => {
    expect(tokenWeakness(token)).toBe(why);
  });
});
