/**
 * `.prompt` files: YAML front matter between `---` lines, then a Mustache body.
 * Parsing never throws: it returns the best file it can make of the text plus every
 * problem with its exact range, so editors can show all of them at once.
 */
import { isMap, isNode, isScalar, parseDocument, type Document, type Pair } from 'yaml';
import { editFrontMatter } from './frontMatterEdit';
import { PARAM_TYPES, isPlainObject, sameValue, setOwn, valueError, type ParamSchema, type ParamType } from './params';
import { scanTemplate } from './templateScan';
import type { ErrorCode } from './errors';
import { LineIndex, problem, type Problem, type Range } from './text';
import { isValidSegment } from './versionSpec';

// A param's declaration is params.ts's (it checks values against it); files declare them.
export type { ParamSchema, ParamType };

export type PromptStatus = 'draft' | 'active' | 'deprecated';

export interface PromptFile {
  type: 'text' | 'chat';
  description?: string;
  params: Record<string, ParamSchema>;
  tags: string[];
  model?: Record<string, unknown>;
  /** Defaults to `active`. */
  status: PromptStatus;
  /** The template after the front matter. */
  body: string;
  /** Offset of `body` in the parsed text. */
  bodyStart: number;
  /** The front matter as written, unknown keys included. */
  data: Record<string, unknown>;
  /** Where things were written, for editors. `params` and `keys` hold the ranges of the names. */
  ranges: { frontMatter?: Range; params: Record<string, Range>; keys: Record<string, Range> };
}

export const FRONT_MATTER_KEYS = ['description', 'params', 'tags', 'model', 'status', 'type'] as const;
export const PROMPT_STATUSES: readonly PromptStatus[] = ['draft', 'active', 'deprecated'];
export const PROMPT_TYPES: readonly PromptFile['type'][] = ['text', 'chat'];
const PARAM_KEYS = ['type', 'required', 'default', 'enum', 'description'];

/** Same charset as IDs in URIs, so every param can also be passed in a query string and named in a template. */
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const FENCE_LINE = /^---[ \t]*(?:\r?\n|$)/;
const CLOSING_FENCE = /^---[ \t]*(\r?\n|$)/gm;

export function parsePromptFile(text: string): { file: PromptFile; problems: Problem[] } {
  const problems: Problem[] = [];
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const file: PromptFile = {
    type: 'text',
    params: {},
    tags: [],
    status: 'active',
    body: text.slice(start),
    bodyStart: start,
    data: {},
    ranges: { params: {}, keys: {} },
  };
  const opening = FENCE_LINE.exec(text.slice(start, start + 8));
  if (opening) {
    const fmStart = start + opening[0].length;
    CLOSING_FENCE.lastIndex = fmStart;
    const closing = CLOSING_FENCE.exec(text);
    if (!closing) {
      problems.push(problem('unclosed_front_matter', 'The front matter opened on line 1 is never closed by a `---` line.', start, start + 3));
    } else {
      file.ranges.frontMatter = { start: fmStart, end: closing.index };
      file.bodyStart = closing.index + closing[0].length;
      file.body = text.slice(file.bodyStart);
      readFrontMatter(text, fmStart, closing.index, file, problems);
    }
  }
  for (const p of scanTemplate(file.body).problems) {
    problems.push({ ...p, range: { start: p.range.start + file.bodyStart, end: p.range.end + file.bodyStart } });
  }
  return { file, problems };
}

function readFrontMatter(text: string, fmStart: number, fmEnd: number, file: PromptFile, problems: Problem[]): void {
  const doc = parseDocument(text.slice(fmStart, fmEnd), { prettyErrors: false, uniqueKeys: true });
  const whole: Range = { start: fmStart, end: fmEnd };
  const lines = new LineIndex(text);
  for (const error of doc.errors) {
    const start = fmStart + error.pos[0];
    const where = lines.position(start);
    const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    const end = Math.min(Math.max(start + 1, fmStart + error.pos[1]), fmEnd);
    problems.push(problem('invalid_yaml', `Invalid YAML in the front matter (line ${where.line + 1}, column ${where.character + 1}): ${message}`, Math.min(start, end), end));
  }
  if (doc.errors.length) return;

  const data = toJS(doc);
  if (data instanceof Error) {
    problems.push(problem('invalid_yaml', `Invalid YAML in the front matter: ${data.message}`, fmStart, fmEnd));
    return;
  }
  if (data == null) return;
  const rangeOf: RangeOf = (path, part) => {
    const node = part === 'key' ? keyNode(doc, path) : doc.getIn(path, true);
    const range = isNode(node) ? node.range : undefined;
    if (!range) return path.length ? rangeOf(path.slice(0, -1), 'key') : whole;
    let end = fmStart + range[1];
    while (end > fmStart + range[0] && /\s/.test(text[end - 1])) end--;
    return { start: fmStart + range[0], end };
  };
  if (!isMap(doc.contents) || !isPlainObject(data)) {
    const where = rangeOf([], 'value');
    problems.push(problem('invalid_front_matter', `The front matter must be a mapping of keys (${FRONT_MATTER_KEYS.join(', ')}).`, where.start, where.end));
    return;
  }
  file.data = data;
  Object.assign(file, interpret(data, rangeOf, problems));
  for (const key of Object.keys(data)) setOwn(file.ranges.keys, key, rangeOf([key], 'key'));
  for (const name of Object.keys(file.params)) setOwn(file.ranges.params, name, rangeOf(['params', name], 'key'));
}

type RangeOf = (path: string[], part: 'key' | 'value') => Range;
type Typed = Pick<PromptFile, 'type' | 'description' | 'params' | 'tags' | 'model' | 'status'>;

function keyNode(doc: Document, path: string[]): unknown {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  if (!isMap(parent)) return undefined;
  return (parent.items as Pair[]).find((p) => isScalar(p.key) && String(p.key.value) === path[path.length - 1])?.key;
}

/** The typed meaning of raw front matter; what cannot be understood is reported and left at its default. */
function interpret(data: Record<string, unknown>, rangeOf: RangeOf, problems: Problem[]): Typed {
  const typed: Typed = { type: 'text', params: {}, tags: [], status: 'active' };
  for (const [key, value] of Object.entries(data)) {
    const bad = (code: ErrorCode, message: string) => {
      const where = rangeOf([key], 'value');
      problems.push(problem(code, message, where.start, where.end));
    };
    switch (key) {
      case 'description':
        if (typeof value === 'string') typed.description = value;
        else bad('invalid_description', '`description` must be a string.');
        break;
      case 'tags':
        if (Array.isArray(value) && value.every((t) => typeof t === 'string')) typed.tags = value;
        else bad('invalid_tags', '`tags` must be a list of strings, e.g. `[onboarding, email]`.');
        break;
      case 'model':
        if (isPlainObject(value)) typed.model = value;
        else bad('invalid_model', '`model` must be a mapping, e.g. `{ name: gpt-4o-mini, temperature: 0.2 }`.');
        break;
      case 'status':
        if (PROMPT_STATUSES.includes(value as PromptStatus)) typed.status = value as PromptStatus;
        else bad('invalid_status', `\`status\` must be one of ${PROMPT_STATUSES.join(', ')}; got ${JSON.stringify(value)}.`);
        break;
      case 'type':
        if (PROMPT_TYPES.includes(value as PromptFile['type'])) typed.type = value as PromptFile['type'];
        else bad('invalid_type', `\`type\` must be one of ${PROMPT_TYPES.join(', ')}; got ${JSON.stringify(value)}.`);
        break;
      case 'params':
        if (isPlainObject(value)) {
          for (const [name, raw] of Object.entries(value)) {
            const schema = interpretParam(name, raw, (path, part) => rangeOf(['params', name, ...path], part), problems);
            if (schema) setOwn(typed.params, name, schema);
          }
        } else if (value != null) bad('invalid_params', '`params` must be a mapping from param names to schemas, e.g. `name: { type: string }`.');
        break;
      default: {
        const where = rangeOf([key], 'key');
        problems.push(problem('unknown_key', `Unknown front matter key \`${key}\`; known keys: ${FRONT_MATTER_KEYS.join(', ')}. It is kept as is.`, where.start, where.end, 'warning'));
      }
    }
  }
  return typed;
}

function interpretParam(name: string, raw: unknown, rangeOf: RangeOf, problems: Problem[]): ParamSchema | undefined {
  const report = (code: ErrorCode, message: string, where = rangeOf([], 'key'), severity: Problem['severity'] = 'error') =>
    problems.push(problem(code, message, where.start, where.end, severity));
  if (!PARAM_NAME.test(name) || name === '__proto__') {
    report('invalid_param_name', `Param name ${JSON.stringify(name)} must start with a letter or \`_\` and contain only letters, digits, \`_\` and \`-\`.`);
    return undefined;
  }
  const schema: ParamSchema = { type: 'string' };
  if (!isPlainObject(raw)) {
    report('invalid_param_schema', `Param \`${name}\` needs a schema mapping, e.g. \`${name}: { type: string }\`.`, rangeOf([], 'value'));
    return schema;
  }
  const field = (key: string) => rangeOf([key], 'value');
  for (const key of Object.keys(raw)) {
    if (!PARAM_KEYS.includes(key)) report('unknown_param_key', `Unknown key \`${key}\` in param \`${name}\`; known keys: ${PARAM_KEYS.join(', ')}.`, rangeOf([key], 'key'), 'warning');
  }
  if (raw.type === undefined) report('invalid_param_schema', `Param \`${name}\` needs a \`type\`: one of ${PARAM_TYPES.join(', ')}.`);
  else if (!PARAM_TYPES.includes(raw.type as ParamType)) report('invalid_param_schema', `Param \`${name}\` has unknown type ${JSON.stringify(raw.type)}; use one of ${PARAM_TYPES.join(', ')}.`, field('type'));
  else schema.type = raw.type as ParamType;
  // Without a known type, `enum` and `default` cannot be checked; the type error says enough.
  const typeKnown = schema.type === raw.type;

  if (raw.required !== undefined) {
    if (typeof raw.required === 'boolean') schema.required = raw.required;
    else report('invalid_param_schema', `\`required\` of param \`${name}\` must be true or false.`, field('required'));
  }
  if (raw.description !== undefined) {
    if (typeof raw.description === 'string') schema.description = raw.description;
    else report('invalid_param_schema', `\`description\` of param \`${name}\` must be a string.`, field('description'));
  }
  if (raw.enum !== undefined && typeKnown) {
    const wrong = Array.isArray(raw.enum) ? raw.enum.find((v) => valueError({ type: schema.type }, v)) : undefined;
    if (!Array.isArray(raw.enum) || raw.enum.length === 0) report('invalid_param_schema', `\`enum\` of param \`${name}\` must be a non-empty list of allowed values.`, field('enum'));
    else if (wrong !== undefined) report('invalid_param_schema', `\`enum\` of param \`${name}\` lists ${JSON.stringify(wrong)}: ${valueError({ type: schema.type }, wrong)}.`, field('enum'));
    else schema.enum = raw.enum;
  }
  if (raw.default !== undefined && typeKnown) {
    const wrong = valueError(schema, raw.default);
    if (wrong) report('invalid_param_schema', `\`default\` of param \`${name}\` ${wrong}.`, field('default'));
    else schema.default = raw.default;
  }
  return schema;
}

function toJS(doc: Document): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Writes `file` back as text. With `original` (the text it was parsed from), the
 * front matter is edited in place so comments and key order survive; when the
 * front matter did not change at all it is kept byte for byte.
 */
export function serializePromptFile(file: PromptFile, original?: string): string {
  const target = frontMatterData(file);
  const before = original === undefined ? undefined : parsePromptFile(original);
  const fm = before?.file.ranges.frontMatter;
  if (before && fm && original !== undefined && !before.problems.some((p) => p.code === 'invalid_yaml' || p.code === 'invalid_front_matter')) {
    const head = original.slice(0, fm.start);
    const tail = original.slice(fm.end, before.file.bodyStart);
    if (sameValue(before.file.data, target)) return head + original.slice(fm.start, fm.end) + tail + file.body;
    return head + editFrontMatter(original.slice(fm.start, fm.end), before.file.data, target) + tail + file.body;
  }
  if (Object.keys(target).length === 0 && !file.body.startsWith('---')) return file.body;
  const doc = parseDocument('{}');
  doc.contents = doc.createNode(target) as typeof doc.contents;
  const yaml = Object.keys(target).length ? doc.toString({ lineWidth: 0 }) : '';
  return `---\n${yaml}---\n${file.body}`;
}

/**
 * The front matter `file` stands for: its raw data, with each typed field written over
 * it only where the field no longer means what the raw data says (so a key that was
 * never touched stays as written, even when it was invalid).
 */
function frontMatterData(file: PromptFile): Record<string, unknown> {
  const base = interpret(file.data, () => ({ start: 0, end: 0 }), []);
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(file.data)) setOwn(data, key, value);
  const put = (key: keyof Typed, value: unknown) => {
    if (sameValue(value, base[key])) return;
    if (value === undefined) delete data[key];
    else setOwn(data, key, value);
  };
  put('type', file.type);
  put('description', file.description);
  if (!sameValue(file.params, base.params)) {
    const rawParams = isPlainObject(file.data.params) ? file.data.params : {};
    const params: Record<string, unknown> = {};
    for (const [name, schema] of Object.entries(file.params)) {
      const raw = isPlainObject(rawParams[name]) ? rawParams[name] : {};
      if (Object.hasOwn(base.params, name) && sameValue(base.params[name], schema)) {
        setOwn(params, name, rawParams[name]);
        continue;
      }
      const merged: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(raw)) if (!PARAM_KEYS.includes(key)) setOwn(merged, key, value);
      for (const key of PARAM_KEYS) {
        const value = schema[key as keyof ParamSchema];
        if (value !== undefined) merged[key] = value;
      }
      setOwn(params, name, orderLike(raw, merged));
    }
    if (Object.keys(params).length) setOwn(data, 'params', orderLike(rawParams, params));
    else delete data.params;
  }
  put('tags', file.tags);
  put('model', file.model);
  put('status', file.status);
  return orderLike(file.data, data);
}

/** Keeps the key order of `like`, new keys after. */
function orderLike(like: Record<string, unknown>, value: Record<string, unknown>): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const key of [...Object.keys(like), ...Object.keys(value)]) {
    if (Object.hasOwn(value, key) && !Object.hasOwn(ordered, key)) setOwn(ordered, key, value[key]);
  }
  return ordered;
}

/** `a/b/welcome.prompt` → `welcome`; files in hidden folders and names that are not valid IDs → undefined. */
export function promptIdFromPath(path: string): string | undefined {
  const segments = path.replace(/\\/g, '/').split('/');
  const name = segments.pop() ?? '';
  if (segments.some((s) => s.startsWith('.') && s !== '.' && s !== '..')) return undefined;
  if (!name.endsWith('.prompt')) return undefined;
  const id = name.slice(0, -'.prompt'.length);
  return isValidSegment(id) ? id : undefined;
}
