// Onboarding messages: every prompt is a versioned file in the forge, referred to by URI.
import { createPromptClient } from 'promptforge/sdk';

const forge = createPromptClient({
  hosts: { 'localhost:7070': { url: 'http://localhost:7070' } },
  defaults: { host: 'localhost:7070', repo: 'demo' },
});

export async function welcomeMessage(appName: string, tier: 'free' | 'premium'): Promise<string> {
  // The label `production` moves when a new version is promoted; the app needs no deploy.
  const prompt = await forge.get('prompt://localhost:7070/demo/welcome/production?app_name=Acme&tier=premium&user_name=Ada', {
    app_name: appName,
    tier,
  });
  return prompt.text ?? '';
}

export async function supportConversation(customerName: string, question: string) {
  // A short reference inside an SDK call, on a release range; params come from the call.
  return forge.render('support-chat:^1', { customer_name: customerName, product: 'Acme', question });
}

export async function legacyGreeting(name: string) {
  // A deprecated prompt: the editor says so, and the hover says what replaces it.
  return forge.get('legacy-greeting:HEAD', { name });
}
