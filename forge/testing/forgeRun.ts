/**
 * The forge runs a version's test suite: the suite on the default branch (today's
 * tests), or the one committed with the version when the default branch has none,
 * against the prompt as of that version, on the forge's configured endpoint.
 */
import { parseTestSuite } from '../../core/testSuite/parse';
import { runSuite } from '../../core/testSuite/run';
import { needsModel } from '../../core/testSuite/types';
import { HttpError } from '../http/errors';
import type { LlmConfig } from '../review/llm';
import type { PromptStore } from '../store';
import { testModel } from './model';
import { storeRenderer } from './renderers';
import { TestResults, type StoredRun } from './results';

const suitePath = (promptPath: string) => promptPath.replace(/\.prompt$/, '.test.yaml');

export async function runVersionSuite(store: PromptStore, id: string, version: string | undefined, llm: LlmConfig | undefined, actor: string): Promise<StoredRun> {
  const resolved = await store.resolve(id, version);
  const path = suitePath(resolved.path);
  const tip = `refs/heads/${store.defaultBranch()}`;
  let from = tip;
  let text = await store.readAt(tip, path);
  if (text === null) {
    from = resolved.sha;
    text = await store.readAt(resolved.sha, path);
  }
  if (text === null) throw new HttpError('suite_not_found', `prompt "${id}" has no test suite: add ${path} beside ${resolved.path}`);
  const { suite, problems } = parseTestSuite(text);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new HttpError('invalid_suite', `${path}: ${errors[0].message}`, { problems: errors });
  const model = llm && testModel(llm);
  if (!model && suite.tests.some(needsModel)) {
    throw new HttpError('llm_not_configured', `${path} has tests that need a model: set llm.url and llm.model in forge.yaml`);
  }
  const result = await runSuite(suite, {
    render: storeRenderer(store, id, resolved.sha),
    complete: model && ((prompt, signal) => model.complete(prompt, signal, resolved.file.model)),
    rubric: model?.rubric,
    embed: model?.embed,
    concurrency: 4,
  });
  const run: StoredRun = { repo: store.name, id, sha: resolved.sha, suite: { path, from }, at: new Date().toISOString(), actor, result };
  new TestResults(store.gitDir).save(run);
  return run;
}

export async function versionResults(store: PromptStore, id: string, version: string | undefined): Promise<StoredRun> {
  const resolved = await store.resolve(id, version);
  const run = new TestResults(store.gitDir).latest(id, resolved.sha);
  if (!run) throw new HttpError('tests_not_run', `the tests of "${id}" have not run on ${resolved.sha.slice(0, 12)} (version "${version ?? 'HEAD'}"); POST …/tests/run to run them`);
  return run;
}
