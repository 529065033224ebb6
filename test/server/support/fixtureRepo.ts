/**
 * A small real prompt repository for server tests: several versions of `welcome`
 * with releases and labels, a chat prompt, a deprecated prompt, a partial, a branch.
 */
import { makeRepo, type TestRepo } from '../../fixtures/git/makeRepo';

export const welcome = (greeting: string) => `---
description: Greets a new user
params:
  app_name: { type: string, required: true, description: Product name }
  tier: { type: string, enum: [free, premium], default: free }
  seats: { type: integer, default: 1 }
---
${greeting} {{app_name}}! You are on the {{tier}} plan.
{{> signature}}
`;

const summary = `---
description: Summarises a text
type: chat
params:
  text: { type: string, required: true }
  tone: { type: string, enum: [neutral, friendly], default: neutral }
---
system:
You summarise in a {{tone}} tone.
user:
{{text}}
`;

const legacy = `---
description: Old greeting, use welcome
status: deprecated
---
Hi.
`;

const signature = `---
description: Signature shared by other prompts
---
— The Acme team
`;

export function fixtureRepo(parent?: string): TestRepo {
  return makeRepo({
    ...(parent ? { dir: parent } : {}),
    name: 'demo',
    commits: [
      { files: { 'welcome.prompt': welcome('Hello'), 'signature.prompt': signature, 'legacy.prompt': legacy }, message: 'add welcome', author: 'Ada', tags: ['welcome@1.0.0'] },
      { files: { 'welcome.prompt': welcome('Welcome to') }, message: 'warmer welcome', author: 'Ada', tags: ['welcome@1.1.0'], labels: ['welcome/production'] },
      { files: { 'summary.prompt': summary }, message: 'add summary', author: 'Bob', labels: ['summary/production'] },
      { files: { 'welcome.prompt': welcome('Hi there,') }, message: 'casual welcome', author: 'Bob', labels: ['welcome/staging'] },
      { branch: 'feature/x', files: { 'welcome.prompt': welcome('Yo') }, message: 'experiment' },
    ],
  });
}
