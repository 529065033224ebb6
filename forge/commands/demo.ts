import { resolve } from 'node:path';
import { buildDemo } from '../demo';
import { arity, type Command } from './command';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'create the demo repository (history, releases, labels, chat, partial)',
  usage: 'promptforge demo DIR',
  help: `Creates DIR as a git repository with the demo prompts: welcome (params app_name, tier;
releases 1.0.0, 1.1.0, 2.0.0-beta.1; production and staging on different versions), the
signature partial it includes, the support-chat chat prompt, summarize-ticket,
classify-intent, the deprecated legacy-greeting, and the branch experiment/short-welcome.`,
  options: {},
  async run(_values, positionals) {
    const [dir] = arity(positionals, ['DIR']).map((d) => resolve(d));
    await buildDemo(dir);
    process.stdout.write(`created the demo repository in ${dir}\nnext: promptforge serve --repo demo=${dir}\n`);
    return 0;
  },
};
