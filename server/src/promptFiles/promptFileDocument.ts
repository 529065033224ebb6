/**
 * An open `.prompt` file: parsed once per version, with its siblings (the prompts its
 * partials name) read from the repo it sits in.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePromptFile, type PromptFile } from '../../../core/promptFile';
import type { Problem } from '../../../core/text';
import type { IndexedRepo, PromptIndex } from '../index/model';

export interface PromptFileDocument {
  id: string;
  file: PromptFile;
  problems: Problem[];
  /** The repo the file sits in, when a local host holds it. */
  repo?: IndexedRepo;
  /** Another prompt of the same repo by id, as it is on disk now. */
  lookup(id: string): PromptFile | undefined;
  /** Ids the file's partials may name. */
  siblingIds(): string[];
  /** Where another prompt of the same repo is on disk. */
  pathOf(id: string): string;
}

export function isPromptFile(uri: string): boolean {
  return uri.startsWith('file:') && uri.endsWith('.prompt');
}

export function promptFileDocument(uri: string, text: string, index: PromptIndex): PromptFileDocument {
  const path = fileURLToPath(uri);
  const id = basename(path, '.prompt');
  const { file, problems } = parsePromptFile(text);
  const repo = repoHolding(path, index);
  const folder = dirname(path);
  const parsed = new Map<string, PromptFile | undefined>();
  const pathOf = (other: string) => {
    const indexed = repo?.prompts.get(other)?.path;
    return indexed && repo?.workTree ? join(repo.workTree, indexed) : join(folder, `${other}.prompt`);
  };
  return {
    id,
    file,
    problems,
    ...(repo ? { repo } : {}),
    lookup(other) {
      if (other === id) return file;
      if (!parsed.has(other)) parsed.set(other, readPrompt(pathOf(other)));
      return parsed.get(other);
    },
    siblingIds() {
      return repo ? [...repo.prompts.keys()] : [];
    },
    pathOf,
  };
}

function readPrompt(path: string): PromptFile | undefined {
  try {
    return parsePromptFile(readFileSync(path, 'utf8')).file;
  } catch {
    return undefined;
  }
}

function repoHolding(path: string, index: PromptIndex): IndexedRepo | undefined {
  for (const host of index.hosts.values()) {
    for (const repo of host.repos.values()) {
      if (repo.workTree && !relative(repo.workTree, path).startsWith('..')) return repo;
    }
  }
  return undefined;
}
