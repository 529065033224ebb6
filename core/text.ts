/**
 * Source positions shared by every parser in core/. Offsets are UTF-16 code-unit
 * indexes into the text that was parsed, so editors can map them without re-parsing.
 */

import type { ErrorCode } from './errors';

export interface Range {
  start: number;
  end: number;
}

export interface Problem {
  /** A stable machine word, e.g. `invalid_repo`, `duplicate_param`. */
  code: ErrorCode;
  message: string;
  range: Range;
  severity: 'error' | 'warning';
}

export interface LineCol {
  /** Zero-based line. */
  line: number;
  /** Zero-based column in UTF-16 code units. */
  character: number;
}

/** Maps offsets to line/column through a precomputed table of line starts. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
  }

  position(offset: number): LineCol {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }

  offset(pos: LineCol): number {
    const start = this.starts[Math.min(pos.line, this.starts.length - 1)] ?? 0;
    return Math.min(start + pos.character, this.text.length);
  }
}

export function problem(code: ErrorCode, message: string, start: number, end: number, severity: Problem['severity'] = 'error'): Problem {
  return { code, message, range: { start, end }, severity };
}
