// API keys live only in SecretStorage: one per forge host, one for the LLM endpoint.
// The server gets the host keys through `promptforge/setApiKeys`, never from settings.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import * as P from '../../server/src/protocol';

const HOSTS_KEY = 'promptforge.hostKeys';
const LLM_KEY = 'promptforge.llm.apiKey';

export class ApiKeys {
  constructor(private readonly storage: vscode.SecretStorage) {}

  async hostKeys(): Promise<Record<string, string>> {
    return JSON.parse((await this.storage.get(HOSTS_KEY)) ?? '{}');
  }

  async setHostKey(host: string, key: string | undefined): Promise<void> {
    const keys = await this.hostKeys();
    if (key) keys[host] = key;
    else delete keys[host];
    await this.storage.store(HOSTS_KEY, JSON.stringify(keys));
  }

  llmKey(): Thenable<string | undefined> {
    return this.storage.get(LLM_KEY);
  }

  async setLlmKey(key: string | undefined): Promise<void> {
    if (key) await this.storage.store(LLM_KEY, key);
    else await this.storage.delete(LLM_KEY);
  }

  async sendTo(client: LanguageClient): Promise<void> {
    await client.sendNotification(P.SetApiKeysNotification, { keys: await this.hostKeys() });
  }
}
