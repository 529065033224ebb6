import { formatPromptUri, parseForgeUri } from '../http/promptUri';
import { resolution } from '../http/routes/resolve';
import { arity, list, pairs, UsageError, type Command } from './command';
import { callForge, openTarget, targetHelp, targetOptions } from './target';

export const resolveCommand: Command = {
  name: 'resolve',
  summary: 'resolve a prompt URI and print the rendered prompt',
  usage: 'promptforge resolve URI [--param NAME=VALUE]… [--json] [--repo NAME=PATH | --url URL]',
  help: `Resolves prompt://HOST/REPO/ID[/VERSION][?params] and prints the rendered text (chat
prompts: one "role:" block per message). Parameters come from the URI query and --param.

  --param NAME=VALUE        a template parameter (repeatable)
  --json                    print the whole resolution as JSON (sha, canonical URI, labels…)
${targetHelp}`,
  options: { ...targetOptions, param: { type: 'string', multiple: true }, json: { type: 'boolean' } },
  async run(values, positionals) {
    const [raw] = arity(positionals, ['URI']);
    let uri;
    try {
      uri = parseForgeUri(raw);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const extra = pairs(list(values, 'param'), '--param');
    for (const name of Object.keys(extra)) if (Object.hasOwn(uri.params, name)) throw new UsageError(`parameter "${name}" is in the URI and in --param`);
    const full = { ...uri, params: { ...uri.params, ...extra } };
    const target = await openTarget(values);
    try {
      let result: { text: string | null; messages: { role: string; content: string }[] | null };
      if (target.kind === 'remote') {
        result = (await callForge(target, 'GET', `/api/v1/resolve?uri=${encodeURIComponent(formatPromptUri(full))}`)) as typeof result;
      } else {
        const store = target.stores.get(uri.repo);
        if (!store) throw new Error(`no repo "${uri.repo}" here; open: ${[...target.stores.keys()].join(', ')}`);
        const rendered = await store.render(uri.id, uri.version, full.params, { fromStrings: true });
        result = await resolution(store, raw, full, rendered);
      }
      if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else if (result.messages) process.stdout.write(result.messages.map((m) => `${m.role}:\n${m.content}\n`).join('\n'));
      else process.stdout.write(result.text?.endsWith('\n') ? result.text : `${result.text ?? ''}\n`);
      return 0;
    } finally {
      await target.close();
    }
  },
};
