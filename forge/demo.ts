/**
 * The demo prompt repository: several prompts with real history — commits by different
 * authors, releases, `production` and `staging` on different versions, a chat prompt, a
 * partial, a deprecated prompt and a feature branch. The SDK example, the editor tests
 * and `npm start` all use it, so its shape is fixed; only dates and shas differ per run.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { checkOutHead, createRepo } from './newRepo';
import { PromptStore, type Actor } from './store';

const ada: Actor = { name: 'Ada Park', email: 'ada@example.com' };
const ben: Actor = { name: 'Ben Ortiz', email: 'ben@example.com' };
const release: Actor = { name: 'release-bot', email: 'release-bot@example.com' };

const signature = (line: string) => `---
description: Sign-off shared by customer-facing prompts (used as {{> signature}})
params:
  app_name: { type: string, required: true, description: Product name }
tags: [partial]
---
${line}
`;

const welcome = (body: string, extraParams = '') => `---
description: Greets a new user after sign-up
params:
  app_name: { type: string, required: true, description: Product name }
  tier:     { type: string, enum: [free, premium], default: free, description: Plan the user is on }
${extraParams}tags: [onboarding]
model: { name: gpt-4o-mini, temperature: 0.2 }
status: active
---
${body}
{{> signature}}
`;

const supportChat = (system: string) => `---
description: Answers a customer's support question in a chat
type: chat
params:
  customer_name: { type: string, required: true }
  product:       { type: string, required: true }
  question:      { type: string, required: true, description: The customer's message }
tags: [support]
model: { name: gpt-4o, temperature: 0.3 }
---
system:
${system}
user:
{{customer_name}} asks: {{question}}
`;

const legacyGreeting = (status: string, note: string) => `---
description: ${note}
params:
  name: { type: string, required: true }
status: ${status}
---
Hello {{name}}, welcome aboard.
`;

const summarizeTicket = `---
description: Summarizes a support ticket for the on-call engineer
params:
  ticket_text: { type: string, required: true }
  max_words:   { type: integer, default: 60 }
tags: [support, internal]
---
Summarize the support ticket below in at most {{max_words}} words.
Name the product area, the customer impact and any error messages verbatim.

Ticket:
{{ticket_text}}
`;

const classifyIntent = (labels: string) => `---
description: Classifies a customer message into one intent
params:
  message: { type: string, required: true }
tags: [support, routing]
model: { name: gpt-4o-mini, temperature: 0 }
---
Classify the customer message into exactly one of: ${labels}.
Answer with the intent name only.

Message: {{message}}
`;

/** Creates the demo repository in `dir` (which must be missing or empty). */
export async function buildDemo(dir: string): Promise<void> {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not empty; the demo needs a new folder`);
  mkdirSync(dir, { recursive: true });
  // The store writes into existing repositories; creating one is plain `git init`.
  createRepo(dir);
  const store = await PromptStore.open(dir, { name: 'demo', watch: false });
  try {
    // Each edit starts from the prompt's newest version (a new branch starts from main).
    const commit = async (id: string, content: string, message: string, actor: Actor, branch?: string) => {
      const from = branch && store.branches().includes(branch) ? branch : undefined;
      const base = store.listPrompts().some((p) => p.id === id) ? store.versions(id, from)[0].sha : null;
      await store.commitPrompt(id, { content, message, base, ...(branch ? { branch } : {}) }, actor);
    };

    await commit('signature', signature('— The {{app_name}} team'), 'Add the shared signature partial', ada);
    await commit('welcome', welcome('Welcome to {{app_name}}! You are on the {{tier}} plan.'), 'Add the welcome prompt', ada);
    await commit('legacy-greeting', legacyGreeting('active', 'Greets a user (first onboarding flow)'), 'Add the first greeting', ben);
    await store.release('welcome', '1.0.0', 'HEAD', 'First welcome message', release);
    await store.promote('welcome', 'production', '1.0.0', null, release);

    await commit(
      'support-chat',
      supportChat('You are a patient support agent for {{product}}. Answer in at most three short paragraphs.'),
      'Add the support chat prompt',
      ben,
    );
    await store.release('support-chat', '1.0.0', 'HEAD', 'First support chat', release);
    await store.promote('support-chat', 'production', '1.0.0', null, release);

    await commit('summarize-ticket', summarizeTicket, 'Add ticket summaries for on-call', ben);
    await commit('classify-intent', classifyIntent('billing, bug_report, feature_request, account'), 'Add intent routing', ada);

    await commit(
      'welcome',
      welcome(
        'Welcome to {{app_name}}, {{user_name}}! You are on the {{tier}} plan.\nStart with the quick tour: it takes two minutes.',
        '  user_name: { type: string, default: there, description: How to address the user }\n',
      ),
      'Welcome: address the user by name and point to the tour',
      ada,
    );
    await store.release('welcome', '1.1.0', 'HEAD', 'Greets the user by name', release);
    const production = store.versions('welcome').find((v) => v.labels.includes('production'))!.sha;
    await store.promote('welcome', 'production', '1.1.0', production, release);

    await commit('legacy-greeting', legacyGreeting('deprecated', 'Deprecated, use welcome instead'), 'Deprecate legacy-greeting in favour of welcome', ben);
    await commit('signature', signature('Happy building,\n— The {{app_name}} team'), 'Signature: warmer sign-off', ben);
    await commit('classify-intent', classifyIntent('billing, bug_report, feature_request, account, cancellation'), 'Intent routing: add cancellation', ada);

    await commit(
      'welcome',
      welcome(
        'Welcome to {{app_name}}, {{user_name}}! 🎉 You are on the {{tier}} plan.\nThe quick tour shows the three things most people do first.',
        '  user_name: { type: string, default: there, description: How to address the user }\n',
      ),
      'Welcome: friendlier opening, clearer tour hint',
      ada,
    );
    await store.release('welcome', '2.0.0-beta.1', 'HEAD', 'Candidate for the next welcome', release);
    await store.promote('welcome', 'staging', 'HEAD', null, ada);

    await commit(
      'support-chat',
      supportChat(
        'You are a patient support agent for {{product}}.\nAsk one clarifying question when the request is ambiguous.\nAnswer in at most three short paragraphs.',
      ),
      'Support chat: ask a clarifying question when needed',
      ben,
    );
    await store.promote('support-chat', 'staging', 'HEAD', null, ben);

    await commit(
      'welcome',
      welcome('Hi {{user_name}}, welcome to {{app_name}} ({{tier}} plan).', '  user_name: { type: string, default: there, description: How to address the user }\n'),
      'Experiment: a shorter welcome',
      ben,
      'experiment/short-welcome',
    );
  } finally {
    await store.close();
  }
  checkOutHead(dir);
}
