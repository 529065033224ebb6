import { arity, str, type Command } from './command';
import { callForge, localStore, openTarget, remoteRepo, targetHelp, targetOptions } from './target';

export const releaseCommand: Command = {
  name: 'release',
  summary: 'tag an immutable release ID@VERSION',
  usage: 'promptforge release ID VERSION [--ref VERSION] [--notes TEXT] [--repo NAME=PATH | --url URL --repo NAME]',
  help: `Creates the annotated tag ID@VERSION (a semantic version such as 1.2.0) on the version
--ref names (default HEAD). Releases never move.

  --ref VERSION             what to release (default: HEAD)
  --notes TEXT              release notes (the tag message)
  --as NAME                 tagger in local mode (default: $USER)
${targetHelp}`,
  options: { ...targetOptions, ref: { type: 'string' }, notes: { type: 'string' }, as: { type: 'string' } },
  async run(values, positionals) {
    const [id, version] = arity(positionals, ['ID', 'VERSION']);
    const ref = str(values, 'ref');
    const notes = str(values, 'notes');
    const target = await openTarget(values);
    try {
      const info =
        target.kind === 'remote'
          ? ((await callForge(target, 'POST', `/api/v1/repos/${remoteRepo(target)}/prompts/${encodeURIComponent(id)}/releases`, { version, ref, notes })) as {
              version: string;
              sha: string;
            })
          : await localStore(target).release(id, version, ref, notes, { name: str(values, 'as') ?? process.env.USER ?? 'local' });
      process.stdout.write(`${id}@${info.version} → ${info.sha.slice(0, 12)}\n`);
      return 0;
    } finally {
      await target.close();
    }
  },
};
