/**
 * `.prompt` highlighting for CodeMirror: YAML front matter between `---` lines, Mustache
 * tags in the body, and chat role lines (`system:`, `user:`, `assistant:`). A stream
 * tokenizer is enough here: it only colours; every check is the forge's.
 */
import { StreamLanguage, type StringStream } from '@codemirror/language';

interface State {
  /** 0 before the file starts, 1 in the front matter, 2 in the body. */
  part: 0 | 1 | 2;
  inTag: boolean;
}

function tag(stream: StringStream, state: State): string {
  if (stream.match('}}}') || stream.match('}}')) {
    state.inTag = false;
    return 'meta';
  }
  if (stream.match(/^[#/^>!&]/)) return 'keyword';
  if (stream.match(/^[\w.-]+/)) return 'variableName';
  stream.next();
  return 'meta';
}

export const promptLanguage = StreamLanguage.define<State>({
  name: 'prompt',
  startState: () => ({ part: 0, inTag: false }),
  token(stream, state) {
    if (stream.sol() && stream.match(/^---\s*$/)) {
      state.part = state.part === 0 ? 1 : 2;
      return 'meta';
    }
    if (state.part === 0) state.part = 2; // no front matter
    if (state.part === 1) {
      if (stream.sol() && stream.match(/^\s*#.*/)) return 'comment';
      if (stream.sol() && stream.match(/^\s*(- )?[\w-]+(?=:)/)) return 'propertyName';
      if (stream.match(/^"(?:[^"\\]|\\.)*"?|^'[^']*'?/)) return 'string';
      if (stream.match(/^-?\d+(\.\d+)?\b/)) return 'number';
      if (stream.match(/^(true|false|null)\b/)) return 'atom';
      stream.next();
      return null;
    }
    if (state.inTag) return tag(stream, state);
    if (stream.sol() && stream.match(/^(system|user|assistant):/)) return 'heading';
    if (stream.match('{{{') || stream.match('{{')) {
      state.inTag = true;
      return 'meta';
    }
    while (!stream.eol() && !stream.match(/^\{\{/, false)) stream.next();
    return null;
  },
});
