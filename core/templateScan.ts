/**
 * A single linear pass over a Mustache template that finds every tag with its
 * position. Editors use it for variables and partials; rendering uses it to refuse
 * broken or too deeply nested templates, with a range, before Mustache sees them.
 */
import { LRUCache } from 'lru-cache';
import { problem, type Problem, type Range } from './text';

export type TagKind = 'variable' | 'unescaped' | 'section' | 'inverted' | 'close' | 'partial' | 'comment' | 'delimiters';

export interface TemplateTag {
  kind: TagKind;
  /** The name as written, e.g. `user.name`; empty for delimiter changes. */
  name: string;
  /** The whole tag, braces included. */
  range: Range;
  /** The name inside the tag. */
  nameRange: Range;
  /** Names of the sections (and inverted sections) this tag sits in, outermost first. */
  within: readonly string[];
}

/** Shared by every caller through the cache: treat as read-only. */
export interface TemplateScan {
  readonly tags: readonly TemplateTag[];
  readonly problems: readonly Problem[];
  /** Deepest section nesting. */
  depth: number;
}

/** Mustache renders sections recursively, so nesting is capped well below the call stack limit. */
export const MAX_NESTING = 100;

const SIGILS: Record<string, TagKind> = { '#': 'section', '^': 'inverted', '/': 'close', '>': 'partial', '&': 'unescaped', '{': 'unescaped', '!': 'comment', '=': 'delimiters' };

/** Scans are cached by template text: parsing, linting and every render of a prompt share one. */
const scans = new LRUCache<string, TemplateScan>({ max: 500, maxSize: 32_000_000, sizeCalculation: (_scan, key) => key.length + 64 });

export function scanTemplate(body: string): TemplateScan {
  let scan = scans.get(body);
  if (!scan) scans.set(body, (scan = scanUncached(body)));
  return scan;
}

function scanUncached(body: string): TemplateScan {
  const tags: TemplateTag[] = [];
  const problems: Problem[] = [];
  const open: TemplateTag[] = [];
  let depth = 0;
  let [opener, closer] = ['{{', '}}'];
  let at = 0;
  for (;;) {
    const start = body.indexOf(opener, at);
    if (start < 0) break;
    let p = skipSpace(body, start + opener.length);
    const sigil = body[p];
    const kind = SIGILS[sigil] ?? 'variable';
    if (kind !== 'variable') p = skipSpace(body, p + 1);
    const ending = sigil === '{' ? `}${closer}` : closer;
    const close = body.indexOf(ending, p);
    if (close < 0) {
      problems.push(problem('unclosed_tag', `\`${opener}\` is never closed by \`${ending}\`.`, start, start + opener.length));
      break;
    }
    at = close + ending.length;
    const name = body.slice(p, close).trimEnd();
    const range = { start, end: at };
    const tag: TemplateTag = { kind, name, range, nameRange: { start: p, end: p + name.length }, within: Object.freeze(open.map((t) => t.name)) };

    if (kind === 'delimiters') {
      const parts = name.endsWith('=') ? name.slice(0, -1).trim().split(/\s+/) : [];
      if (parts.length !== 2 || parts.some((d) => d.includes('='))) {
        problems.push(problem('invalid_delimiters', 'A delimiter change must look like `{{=<% %>=}}`: two delimiters separated by a space.', start, at));
        break;
      }
      [opener, closer] = parts;
      tags.push({ ...tag, name: '' });
      continue;
    }
    if (kind !== 'comment' && name === '') {
      problems.push(problem('empty_tag', 'This tag names nothing.', start, at));
      continue;
    }
    if (kind === 'partial' && name.startsWith('*')) {
      // The spec's optional dynamic names (`{{>*name}}`): an include is always a prompt ID written out.
      problems.push(problem('dynamic_partial', `\`${body.slice(start, at)}\`: dynamic partial names are not supported; write the ID of the prompt to include, e.g. \`{{> ${name.slice(1).trim() || 'header'}}}\`.`, start, at));
      continue;
    }
    tags.push(tag);
    if (kind === 'section' || kind === 'inverted') {
      open.push(tag);
      if (open.length > depth) depth = open.length;
      if (open.length > MAX_NESTING) {
        // Nothing deeper can be rendered, and listing what lies below would cost time quadratic in the depth.
        problems.push(problem('nesting_too_deep', `Sections are nested more than ${MAX_NESTING} levels deep.`, start, at));
        return { tags, problems, depth };
      }
    } else if (kind === 'close') {
      const opened = open.pop();
      if (!opened) problems.push(problem('unopened_section', `\`${body.slice(start, at)}\` closes a section that was never opened.`, start, at));
      else if (opened.name !== name) {
        problems.push(problem('mismatched_section', `\`${body.slice(start, at)}\` cannot close the section \`${opened.name}\` opened at offset ${opened.range.start}.`, start, at));
      }
    }
  }
  for (const section of open) {
    problems.push(problem('unclosed_section', `The section \`${section.name}\` is never closed; add \`{{/${section.name}}}\`.`, section.range.start, section.range.end));
  }
  return { tags, problems, depth };
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && /\s/.test(text[at])) at++;
  return at;
}
