import { lengthHint } from './lengthHint';

describe('lengthHint', () => {
  it('is the hint alone while the text is well under the limit', () => {
    expect(lengthHint('Checkout fails', 200, 'What users notice')).toBe(
      'What users notice',
    );
  });

  it('counts the characters as the text nears the limit', () => {
    expect(lengthHint('x'.repeat(180), 200, 'What users notice')).toBe(
      'What users notice · 180 / 200 characters',
    );
    expect(lengthHint('x'.repeat(9_000), 10_000)).toBe(
      '9,000 / 10,000 characters',
    );
  });
});
