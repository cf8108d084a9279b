import { describe, expect, it } from 'vitest';
import { causesCsv } from '../../server/engagement/index.js';

const cause = (name: string) => ({ id: 'c1', name, enabled: true, donations: 1, points: 10, money: 5, currency: 'USD' });

/** Issue 23, finding 6: a cause's name is the merchant's text, and a spreadsheet runs a cell that starts like a formula. */
describe('the causes CSV', () => {
  it.each(['=HYPERLINK("http://x")', '+1', '-1', '@SUM(A1)', '\t=1+1', '\r=1+1'])('neutralises a name starting %j with a leading quote', (name) => {
    const cell = causesCsv([cause(name)])
      .split('\r\n')[1]!
      .split(',')[1]!;
    expect(cell.replace(/^"/, '').startsWith("'")).toBe(true);
  });

  it('leaves an ordinary name as it is', () => {
    expect(causesCsv([cause('Plant trees')]).split('\r\n')[1]).toBe('c1,Plant trees,true,1,10,5,USD');
  });
});
