import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkOutHead, createRepo } from '../newRepo';
import { PromptStore } from '../store';
import { arity, type Command } from './command';

const EXAMPLE = `---
description: An example prompt; edit it or add more .prompt files
params:
  name: { type: string, required: true, description: Who to greet }
  tone: { type: string, enum: [friendly, formal], default: friendly }
tags: [example]
---
Write a short {{tone}} greeting for {{name}}.
`;

export const initCommand: Command = {
  name: 'init',
  summary: 'create a new prompt repository with one example prompt',
  usage: 'promptforge init DIR',
  help: `Creates DIR as a git repository (branch main) holding hello.prompt in its first commit.`,
  options: {},
  async run(_values, positionals) {
    const [dir] = arity(positionals, ['DIR']).map((d) => resolve(d));
    if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not empty`);
    createRepo(dir);
    const store = await PromptStore.open(dir, { watch: false });
    try {
      await store.commitPrompt('hello', { content: EXAMPLE, message: 'Add an example prompt', base: null }, { name: process.env.USER ?? 'promptforge' });
    } finally {
      await store.close();
    }
    checkOutHead(dir);
    process.stdout.write(`created ${dir} with hello.prompt\nnext: promptforge serve --repo ${store.name}=${dir}\n`);
    return 0;
  },
};
