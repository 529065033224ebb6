#!/usr/bin/env node
// A small app that takes its prompt from the forge started by `npm start`
// (http://localhost:7070, repo `demo`) and prints it. Stop the forge and run it again:
// it still prints, from its own copy in ./prompts, and says so.
const { PromptClient } = require('promptforge/sdk');

async function main() {
  // Reads ./promptforge.config.yaml (and PROMPTFORGE_* variables, e.g. PROMPTFORGE_URL).
  const prompts = PromptClient.fromConfig({ cwd: __dirname });
  try {
    const welcome = await prompts.get('welcome', { app_name: 'Acme' });
    const version = welcome.sha ? `${welcome.release ?? welcome.sha.slice(0, 7)} (${welcome.labels.join(', ') || 'no labels'})` : 'the copy shipped with the app';
    console.log(`source: ${welcome.source}`);
    console.log(`prompt: ${welcome.uri} → ${version}`);
    console.log('');
    console.log(welcome.text ?? welcome.messages.map((m) => `${m.role}: ${m.content}`).join('\n'));
    // Tell the forge how the call went, so it can compare versions.
    prompts.recordUsage(welcome.trackingId, { success: true, latencyMs: 1 });
  } finally {
    await prompts.close();
  }
}

main().catch((error) => {
  console.error(`${error.name}: ${error.message}`);
  process.exitCode = 1;
});
