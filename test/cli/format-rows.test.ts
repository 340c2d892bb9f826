import { describe, expect, it } from 'vitest';
import { formatRows } from '../../cli/format-rows.js';

const result = {
  columns: ['host', 'n', 'flags', 'note'],
  rows: [
    ['ws-1', 3, [{ rule: 'x', score: 1 }], 'plain'],
    ['dc,01', null, [], 'says "hi"\nthen leaves'],
  ],
};

describe('nightjar sql output formats', () => {
  it('csv: a header line, then one line per row, quoting what needs it', () => {
    expect(formatRows(result, 'csv')).toBe(
      'host,n,flags,note\n' +
        'ws-1,3,"[{""rule"":""x"",""score"":1}]",plain\n' +
        '"dc,01",,[],"says ""hi""\nthen leaves"\n',
    );
  });

  it('json: one object per row', () => {
    const lines = formatRows(result, 'json').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { host: 'ws-1', n: 3, flags: [{ rule: 'x', score: 1 }], note: 'plain' },
      { host: 'dc,01', n: null, flags: [], note: 'says "hi"\nthen leaves' },
    ]);
  });

  it('table: aligned columns, NULL shown, newlines flattened, a row count', () => {
    const out = formatRows(result, 'table').split('\n');
    expect(out[0]).toBe('host  │ n    │ flags                    │ note');
    expect(out[3]).toBe('dc,01 │ NULL │ []                       │ says "hi" then leaves');
    expect(out[4]).toBe('(2 rows)');
  });
});
