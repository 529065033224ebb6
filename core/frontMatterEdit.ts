/**
 * Rewrites YAML front matter from one value to another while changing as few bytes as
 * possible: untouched keys keep their exact text (alignment, quoting, comments), so a
 * saved edit shows in a git diff as the lines that really changed.
 */
import { Document, isMap, isNode, isCollection, isScalar, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { isPlainObject, sameValue } from './params';

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** `yaml` (a mapping whose data is `from`) edited to hold `to`. */
export function editFrontMatter(yaml: string, from: Record<string, unknown>, to: Record<string, unknown>): string {
  const doc = parseDocument(yaml);
  const newline = yaml.includes('\r\n') ? '\r\n' : '\n';
  if (isMap(doc.contents) && !doc.contents.flow) {
    const edits: Edit[] = [];
    editMap(yaml, doc.contents, from, to, edits);
    let text = yaml;
    for (const edit of edits.sort((a, b) => b.start - a.start)) {
      text = text.slice(0, edit.start) + edit.text.replace(/\n/g, newline) + text.slice(edit.end);
    }
    // Exotic YAML (anchors, complex keys) may defeat splicing; the check keeps that from ever losing data.
    if (sameValue(parseDocument(text).toJS(), to)) return text;
  }
  reconcile(doc, [], from, to);
  return doc.toString({ lineWidth: 0 }).replace(/\n/g, newline);
}

function editMap(text: string, map: YAMLMap, from: Record<string, unknown>, to: Record<string, unknown>, edits: Edit[]): void {
  const pairs = map.items as Pair<Node, Node | null>[];
  const column = pairs.length && pairs[0].key.range ? pairs[0].key.range[0] - lineStart(text, pairs[0].key.range[0]) : 0;
  for (const pair of pairs) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === undefined || !pair.key.range) continue;
    const keyStart = pair.key.range[0];
    const value = pair.value;
    const valueEnd = value?.range ? contentEnd(text, value.range[0], value.range[1]) : pair.key.range[1];
    if (!Object.hasOwn(to, key)) {
      edits.push({ start: lineStart(text, keyStart), end: lineEndAfter(text, value?.range ? value.range[2] : valueEnd), text: '' });
    } else if (sameValue(from[key], to[key])) {
      continue;
    } else if (isMap(value) && !value.flow && isPlainObject(from[key]) && isPlainObject(to[key]) && Object.keys(to[key]).length) {
      editMap(text, value, from[key], to[key], edits);
    } else if (value?.range && (isScalar(value) || (isCollection(value) && value.flow))) {
      // Only the value changes; the key, the spacing after it and a trailing comment stay.
      edits.push({ start: value.range[0], end: valueEnd, text: indentLines(stringify(to[key], true), column) });
    } else {
      edits.push({ start: keyStart, end: valueEnd, text: indentLines(stringify({ [key]: to[key] }, false), column) });
    }
  }
  const added = Object.keys(to).filter((k) => !Object.hasOwn(from, k));
  if (!added.length) return;
  const last = pairs[pairs.length - 1];
  const at = last?.value?.range ? lineEndAfter(text, last.value.range[2]) : last?.key.range ? lineEndAfter(text, last.key.range[2]) : text.length;
  const lead = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
  const lines = added.map((k) => ' '.repeat(column) + indentLines(stringify({ [k]: to[k] }, false), column));
  edits.push({ start: at, end: at, text: `${lead}${lines.join('\n')}\n` });
}

function stringify(value: unknown, flow: boolean): string {
  const doc = new Document(value);
  if (flow && isCollection(doc.contents)) doc.contents.flow = true;
  return doc.toString({ lineWidth: 0 }).replace(/\n$/, '');
}

function indentLines(text: string, column: number): string {
  return text.replace(/\n/g, `\n${' '.repeat(column)}`);
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

function lineEndAfter(text: string, at: number): number {
  if (at > 0 && text[at - 1] === '\n') return at;
  const newline = text.indexOf('\n', at);
  return newline < 0 ? text.length : newline + 1;
}

/** The end of a node's own text, without the line breaks block collections end with. */
function contentEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end;
}

/** Edits `doc` at `path` from `from` to `to` through the YAML library, touching only what differs. */
function reconcile(doc: Document, path: string[], from: unknown, to: unknown): void {
  if (sameValue(from, to)) return;
  if (isPlainObject(from) && isPlainObject(to) && isMap(path.length ? doc.getIn(path, true) : doc.contents)) {
    for (const key of Object.keys(from)) if (!Object.hasOwn(to, key)) doc.deleteIn([...path, key]);
    for (const key of Object.keys(to)) reconcile(doc, [...path, key], Object.hasOwn(from, key) ? from[key] : undefined, to[key]);
    return;
  }
  const node = doc.createNode(to);
  const old = path.length ? doc.getIn(path, true) : doc.contents;
  if (isCollection(old) && isCollection(node)) node.flow = old.flow;
  if (isNode(old)) Object.assign(node, { comment: old.comment, commentBefore: old.commentBefore, spaceBefore: old.spaceBefore });
  if (path.length === 0) doc.contents = node as typeof doc.contents;
  else doc.setIn(path, node);
}
