/** The name grammar shared by URIs, refs, files and the forge; dependency-free, so the extension may use it. */

/**
 * REPO and ID segments, and label names: `[A-Za-z0-9][A-Za-z0-9._-]*`. The one grammar of
 * a name: checks call isValidSegment, scanners that find names inside longer text build
 * their patterns from SEGMENT_SOURCE, messages say SEGMENT_RULE.
 */
export const SEGMENT_SOURCE = '[A-Za-z0-9][A-Za-z0-9._-]*';
export const SEGMENT_RULE = 'letters, digits, ".", "_" and "-", starting with a letter or digit';

export function isValidSegment(s: string): boolean {
  if (s.length === 0 || !isAlnum(s.charCodeAt(0))) return false;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isAlnum(c) && c !== 0x2e /* . */ && c !== 0x5f /* _ */ && c !== 0x2d /* - */) return false;
  }
  return true;
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
