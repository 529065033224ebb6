import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parsePromptFile } from '../../core/promptFile';
import { LineIndex } from '../../core/text';
import { parseTestSuite } from '../../core/testSuite/parse';
import { REPORTERS, report, type Reporter, type SuiteRun } from '../../core/testSuite/report';
import { runSuite } from '../../core/testSuite/run';
import { needsModel, type TestSuite } from '../../core/testSuite/types';
import { PromptStore } from '../store';
import { testModel } from '../testing/model';
import { storeRenderer, workingTreeRenderer, type Render } from '../testing/renderers';
import { findSuites, promptFilesById, repoRoot, type SuiteFile } from '../testing/suiteFiles';
import { UsageError, str, type Command } from './command';

export const testCommand: Command = {
  name: 'test',
  summary: 'run prompt test suites (ID.test.yaml); exit 1 when a test fails',
  usage: 'promptforge test [PATH…] [--version SPEC] [--reporter pretty|json|junit] [--endpoint URL] [--model NAME]',
  help: `Runs the test suites in the given files and folders (default: the current folder): each
ID.test.yaml tests the ID.prompt beside it. Assertions with \`target: render\` check the rendered
prompt and need no model; the others run the prompt on an OpenAI-compatible endpoint.
Exits 0 when every test passes, 1 when one fails, 2 on a usage or setup error.

  --version SPEC        test the prompt as of this version (HEAD, a label, a release, a SHA…)
                        in the git repository that holds it; default: the file on disk
  --reporter NAME       pretty (default), json, or junit (XML for CI test reporters)
  --endpoint URL        OpenAI-compatible base URL ending in /v1 (default: $PROMPTFORGE_LLM_ENDPOINT);
                        its key comes from $PROMPTFORGE_LLM_API_KEY
  --model NAME          model to run the prompts on (default: the prompt's model.name)
  --concurrency N       tests in flight at once (default 4)
  --timeout MS          per test, retries included (default 60000)`,
  options: {
    version: { type: 'string' },
    reporter: { type: 'string' },
    endpoint: { type: 'string' },
    model: { type: 'string' },
    concurrency: { type: 'string' },
    timeout: { type: 'string' },
  },
  async run(values, positionals) {
    const reporter = (str(values, 'reporter') ?? 'pretty') as Reporter;
    if (!REPORTERS.includes(reporter)) throw new UsageError(`--reporter must be one of ${REPORTERS.join(', ')}, not "${reporter}"`);
    const concurrency = positiveInt(str(values, 'concurrency'), '--concurrency', 4);
    const timeoutMs = positiveInt(str(values, 'timeout'), '--timeout', 60_000);
    const version = str(values, 'version');
    const files = findSuites(positionals.length > 0 ? positionals : ['.']);
    if (files.length === 0) throw new UsageError(`no *.test.yaml suites found in ${positionals.join(', ') || 'the current folder'}`);

    const suites = files.map((f) => ({ file: f, suite: readSuite(f) }));
    const endpoint = str(values, 'endpoint') ?? process.env.PROMPTFORGE_LLM_ENDPOINT;
    const needing = suites.reduce((n, s) => n + s.suite.tests.filter(needsModel).length, 0);
    if (needing > 0 && !endpoint) {
      throw new UsageError(`${needing} test${needing === 1 ? ' needs' : 's need'} a model: pass --endpoint URL or set PROMPTFORGE_LLM_ENDPOINT`);
    }
    if (endpoint && !/^https?:\/\//.test(endpoint)) throw new UsageError(`--endpoint must be an http(s) URL, not "${endpoint}"`);
    const model = endpoint
      ? testModel({ url: endpoint, model: str(values, 'model') ?? 'gpt-4o-mini', apiKey: process.env.PROMPTFORGE_LLM_API_KEY, timeoutMs }, { model: str(values, 'model') })
      : undefined;

    const progress = process.stderr.isTTY ? new ProgressLine(suites.reduce((n, s) => n + s.suite.tests.length, 0)) : undefined;
    const stores = new Map<string, PromptStore>();
    const runs: SuiteRun[] = [];
    try {
      for (const { file, suite } of suites) {
        const { render, promptModel, label } = await rendererFor(file, version, stores);
        const result = await runSuite(suite, {
          render,
          complete: model && ((prompt, signal) => model.complete(prompt, signal, promptModel)),
          rubric: model?.rubric,
          embed: model?.embed,
          concurrency,
          timeoutMs,
          onProgress: (_done, _total, last) => progress?.tick(last.pass),
        });
        runs.push({ file: display(file.path), prompt: file.id, ...(label ? { version: label } : {}), result });
      }
    } finally {
      progress?.clear();
      await Promise.all([...stores.values()].map((s) => s.close()));
    }
    process.stdout.write(report(runs, reporter));
    return runs.some((r) => r.result.failed > 0) ? 1 : 0;
  },
};

/** Reads and checks a suite; a problem that stops it from running is a setup error naming file, line and column. */
function readSuite(file: SuiteFile): TestSuite {
  const text = readFileSync(file.path, 'utf8');
  const { suite, problems } = parseTestSuite(text);
  const error = problems.find((p) => p.severity === 'error');
  if (error) {
    const at = new LineIndex(text).position(error.range.start);
    throw new UsageError(`${display(file.path)}:${at.line + 1}:${at.character + 1}: ${error.message} [${error.code}]`);
  }
  return suite;
}

async function rendererFor(file: SuiteFile, version: string | undefined, stores: Map<string, PromptStore>): Promise<{ render: Render; promptModel?: Record<string, unknown>; label?: string }> {
  const root = repoRoot(file.path);
  if (version === undefined) {
    let text: string;
    try {
      text = readFileSync(file.promptPath, 'utf8');
    } catch {
      throw new UsageError(`${display(file.path)} tests "${file.id}", but ${display(file.promptPath)} does not exist`);
    }
    const { file: prompt, problems } = parsePromptFile(text);
    const error = problems.find((p) => p.severity === 'error');
    if (error) {
      const at = new LineIndex(text).position(error.range.start);
      throw new UsageError(`${display(file.promptPath)}:${at.line + 1}:${at.character + 1}: ${error.message} [${error.code}]`);
    }
    return { render: workingTreeRenderer(file.id, prompt, promptFilesById(root)), promptModel: prompt.model };
  }
  let store = stores.get(root);
  if (!store) {
    store = await PromptStore.open(root, { watch: false }).catch((error: Error) => {
      throw new UsageError(`--version needs a git repository: ${display(root)}: ${error.message}`);
    });
    stores.set(root, store);
  }
  const resolved = await store.resolve(file.id, version);
  return { render: storeRenderer(store, file.id, resolved.sha), promptModel: resolved.file.model, label: `${version} (${resolved.sha.slice(0, 12)})` };
}

function positiveInt(raw: string | undefined, flag: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number of at least 1, not "${raw}"`);
  return n;
}

function display(path: string): string {
  return relative(process.cwd(), path) || path;
}

/** One line on a terminal's stderr, rewritten as tests finish. */
class ProgressLine {
  private done = 0;
  private failed = 0;

  constructor(private readonly total: number) {}

  tick(pass: boolean): void {
    this.done++;
    if (!pass) this.failed++;
    process.stderr.write(`\r\x1b[2K  ${this.done}/${this.total} tests${this.failed ? ` · ${this.failed} failed` : ''}`);
  }

  clear(): void {
    if (this.done > 0) process.stderr.write('\r\x1b[2K');
  }
}
