import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { planLangfuse } from '../../core/import/langfuse';
import type { ImportPlan } from '../../core/import/plan';
import { planPromptfoo } from '../../core/import/promptfoo';
import { applyImport, compare } from '../import/apply';
import { planFiles } from '../import/files';
import { UsageError, arity, str, type Command } from './command';
import { localStore, openTarget } from './target';

const SOURCES = ['files', 'langfuse', 'promptfoo'] as const;

export const importCommand: Command = {
  name: 'import',
  summary: 'bring prompts from files, a Langfuse export or a promptfoo config into a repository',
  usage: 'promptforge import DIR | --from langfuse EXPORT.json | --from promptfoo promptfooconfig.yaml [--repo PATH] [--apply]',
  help: `Shows what it would import (a dry run) unless --apply is given; then commits it to the
repository's default branch. Running it again imports nothing new and makes no commit.

  DIR                       .txt, .md, .jinja/.j2, .mustache/.hbs files: one prompt each, the id
                            from the file name; {{var}}, {{ var }} and {var} become declared params
  --from langfuse FILE      Langfuse's prompt export (JSON): every version in order as a commit,
                            its labels as labels, chat prompts as type: chat
  --from promptfoo FILE     a promptfoo config: its prompts, and its tests as ID.test.yaml
  --repo PATH               the repository to import into (default: the current folder)
  --apply                   write the commit(s); without it nothing is written
  --as NAME                 author of the commits (default: $USER)`,
  options: { from: { type: 'string' }, repo: { type: 'string' }, apply: { type: 'boolean' }, as: { type: 'string' } },
  async run(values, positionals) {
    const [input] = arity(positionals, ['DIR or FILE']);
    const from = (str(values, 'from') ?? 'files') as (typeof SOURCES)[number];
    if (!SOURCES.includes(from)) throw new UsageError(`--from must be langfuse or promptfoo (or absent for a folder of files), not "${from}"`);
    const plan = readPlan(from, input);
    const target = await openTarget({ repo: str(values, 'repo') });
    if (target.kind !== 'local') throw new UsageError('import writes to a local repository: pass --repo PATH');
    try {
      const store = localStore(target);
      let outcome = await compare(store, plan);
      const apply = values.apply === true;
      if (apply) outcome = await applyImport(store, outcome, { name: str(values, 'as') ?? process.env.USER ?? 'import' }, `Import ${outcome.created.length} prompt${outcome.created.length === 1 ? '' : 's'} from ${from === 'files' ? input : `${from} ${input}`}`);
      const out: string[] = [];
      const verb = apply ? 'imported' : 'would import';
      for (const p of outcome.created) out.push(`  + ${p.id}  (${p.source}${p.versions.length > 1 ? `, ${p.versions.length} versions` : ''}${p.suite ? ', with tests' : ''}${labelsOf(p)})`);
      for (const id of outcome.unchanged) out.push(`  = ${id}  (already there, same text)`);
      for (const s of [...outcome.clashes, ...plan.skipped]) out.push(`  ! ${s.source}: ${s.reason}`);
      const skipped = outcome.clashes.length + plan.skipped.length;
      out.push(
        `${verb} ${outcome.created.length}, unchanged ${outcome.unchanged.length}, skipped ${skipped}` +
          (apply ? ` — ${outcome.commits === 0 ? 'nothing new, no commit' : `${outcome.commits} commit${outcome.commits === 1 ? '' : 's'}`}` : ' — dry run: add --apply to write it'),
      );
      process.stdout.write(`${out.join('\n')}\n`);
      return 0;
    } finally {
      await target.close();
    }
  },
};

function readPlan(from: (typeof SOURCES)[number], input: string): ImportPlan {
  if (from === 'files') {
    try {
      return planFiles(resolve(input));
    } catch (error) {
      throw new UsageError(`${input}: ${(error as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'not a folder (give --from langfuse or --from promptfoo for a file)' : (error as Error).message}`);
    }
  }
  let text: string;
  try {
    text = readFileSync(input, 'utf8');
  } catch (error) {
    throw new UsageError(`${input}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return from === 'langfuse' ? planLangfuse(text) : planPromptfoo(text, (path) => readFileSync(resolve(dirname(input), path), 'utf8'));
  } catch (error) {
    throw new UsageError(`${input}: ${(error as Error).message}`);
  }
}

function labelsOf(p: { versions: { labels: string[] }[] }): string {
  const labels = [...new Set(p.versions.flatMap((v) => v.labels))];
  return labels.length ? `, labels ${labels.join(', ')}` : '';
}
