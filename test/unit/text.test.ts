import { strict as assert } from 'node:assert';
import { LineIndex } from '../../core/text';

describe('LineIndex', () => {
  const cases: [text: string, offset: number, line: number, character: number][] = [
    ['', 0, 0, 0],
    ['abc', 2, 0, 2],
    ['a\nbc', 2, 1, 0],
    ['a\nbc\n', 5, 2, 0],
    ['a\r\nb', 3, 1, 0],
  ];
  for (const [text, offset, line, character] of cases) {
    it(`maps offset ${offset} in ${JSON.stringify(text)} to ${line}:${character} and back`, () => {
      const index = new LineIndex(text);
      assert.deepEqual(index.position(offset), { line, character });
      assert.equal(index.offset({ line, character }), offset);
    });
  }
});
