// The extension manifest must agree with the server's protocol (command ids in hover
// links, one lint setting per diagnostic code with the server's default) and point
// only at files that exist, or VS Code silently drops the contribution.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { Commands, DiagnosticCode, defaultLintSeverity } from '../../server/src/protocol';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const contributes = manifest.contributes;
const settings: Record<string, { default?: unknown; enum?: string[]; markdownDescription?: string }> = contributes.configuration.properties;

describe('extension manifest', () => {
  it('contributes every command the server links to, each with the Prompt Forge category', () => {
    const contributed = new Map<string, { category: string }>(contributes.commands.map((c: { command: string; category: string }) => [c.command, c]));
    for (const id of Object.values(Commands)) {
      assert.ok(contributed.has(id), `package.json does not contribute ${id}`);
      assert.equal(contributed.get(id)!.category, 'Prompt Forge', id);
    }
  });

  it('has one lint setting per diagnostic code, defaulting to the server severity', () => {
    const lint = Object.keys(settings).filter((k) => k.startsWith('promptforge.lint.')).map((k) => k.slice('promptforge.lint.'.length));
    assert.deepEqual(lint.sort(), Object.values(DiagnosticCode).sort());
    for (const code of Object.values(DiagnosticCode)) {
      const setting = settings[`promptforge.lint.${code}`];
      assert.equal(setting.default, defaultLintSeverity[code], code);
      assert.deepEqual(setting.enum, ['ignore', 'info', 'warning', 'error'], code);
    }
  });

  it('describes every setting and restricts the network-reaching ones in untrusted workspaces', () => {
    for (const [key, setting] of Object.entries(settings)) assert.ok(setting.markdownDescription, `${key} has no description`);
    for (const key of ['promptforge.hosts', 'promptforge.llm.endpoint']) {
      assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(key), key);
    }
  });

  it('gives .prompt files a language of its own, not VS Code\'s built-in `prompt` (chat prompt files)', () => {
    const [language] = contributes.languages;
    assert.deepEqual(language.extensions, ['.prompt']);
    assert.notEqual(language.id, 'prompt');
    assert.ok(manifest.activationEvents.includes(`onLanguage:${language.id}`));
    assert.ok(contributes.grammars.some((g: { language?: string }) => g.language === language.id));
  });

  it('only names files that exist', () => {
    const paths: string[] = [
      manifest.icon,
      ...contributes.grammars.map((g: { path: string }) => g.path),
      ...contributes.snippets.map((s: { path: string }) => s.path),
      ...contributes.languages.flatMap((l: { configuration: string; icon: { light: string; dark: string } }) => [l.configuration, l.icon.light, l.icon.dark]),
      ...contributes.viewsContainers.activitybar.map((v: { icon: string }) => v.icon),
    ];
    for (const path of paths) assert.ok(existsSync(path), `${path} is named in package.json but missing`);
  });

  it('names in its menus only commands it contributes', () => {
    const known = new Set(contributes.commands.map((c: { command: string }) => c.command));
    for (const [menu, items] of Object.entries(contributes.menus as Record<string, { command: string }[]>)) {
      for (const item of items) assert.ok(known.has(item.command), `${menu} names unknown command ${item.command}`);
    }
  });
});
