import { enforceGate } from '../governance/gate';
import type { PromptStore } from '../store';
import { arity, str, type Command } from './command';
import { callForge, localStore, openTarget, remoteRepo, targetHelp, targetOptions } from './target';

export const promoteCommand: Command = {
  name: 'promote',
  summary: 'move a label (production, staging, …) to a version',
  usage: 'promptforge promote ID LABEL VERSION [--expected SHA|none] [--repo NAME=PATH | --url URL --repo NAME]',
  help: `Moves refs/labels/ID/LABEL to VERSION (any version form: 1.2.0, HEAD, a sha, staging…)
and records the move in the promotion history. With --expected the move happens only if
the label still points there ("none": only if it does not exist yet).

  --expected SHA|none       compare-and-swap guard
  --as NAME                 author of the move in local mode (default: $USER)
${targetHelp}`,
  options: { ...targetOptions, expected: { type: 'string' }, as: { type: 'string' } },
  async run(values, positionals) {
    const [id, label, version] = arity(positionals, ['ID', 'LABEL', 'VERSION']);
    const guard = str(values, 'expected');
    const expected = guard === undefined ? undefined : guard === 'none' ? null : guard;
    const target = await openTarget(values);
    try {
      const move =
        target.kind === 'remote'
          ? ((await callForge(target, 'PUT', `/api/v1/repos/${remoteRepo(target)}/prompts/${encodeURIComponent(id)}/labels/${encodeURIComponent(label)}`, {
              version,
              ...(expected !== undefined ? { expected } : {}),
            })) as { from: string | null; to: string })
          : await promoteLocally(localStore(target), id, label, version, expected, str(values, 'as') ?? process.env.USER ?? 'local');
      process.stdout.write(`${id} ${label}: ${move.from ? move.from.slice(0, 12) : '(new)'} → ${move.to.slice(0, 12)}\n`);
      return 0;
    } finally {
      await target.close();
    }
  },
};

/** A local move obeys the label's policy too: the CLI is no way around a protected label. */
async function promoteLocally(store: PromptStore, id: string, label: string, version: string, expected: string | null | undefined, actor: string) {
  await enforceGate(store, id, label, (await store.resolve(id, version)).sha, { by: actor, role: 'admin' });
  return store.promote(id, label, version, expected, { name: actor });
}
