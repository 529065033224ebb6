// Every command of the extension: a table of command id → factory. Each command
// works from the tree (a node), from a hover or editor title (a prompt reference
// or document URI), or from the palette (it asks with quick picks).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { isValidSegment, SEGMENT_RULE } from '../../core/segment';
import { formatPromptUri } from '../../core/uri';
import * as P from '../../server/src/protocol';
import type { PromptRef } from './tree';
import { versionUri } from './documents';
import { EDIT_SCHEME, editUri, refOfEditUri } from './editFileSystem';
import { errorMessage, isConflict } from './errors';
import { PROMPT_LANGUAGE } from './languageClient';
import { pickPrompt, pickVersion } from './pickers';
import type { RenderPanels } from './renderPanel';
import type { ApiKeys } from './secrets';
import { describe, SHOW_STATUS, stateIcon, type ForgeStatus } from './statusBar';
import { nodeTarget, type ForgeNode, type ForgeTree } from './tree';
import type { UsageCache } from './usage';

export interface Services {
  client: LanguageClient;
  tree: ForgeTree;
  panels: RenderPanels;
  keys: ApiKeys;
  usage: UsageCache;
  status: ForgeStatus;
  log: vscode.LogOutputChannel;
}

interface Target {
  ref: PromptRef;
  version?: string;
  params?: Record<string, unknown>;
}

/** What a command can be invoked with: a tree node, a hover link's JSON argument, an editor's document URI, or nothing. */
type CommandArg = ForgeNode | P.PromptTarget | P.RenderParams | Partial<P.DiffParams> | vscode.Uri | undefined;

/** The prompt a command acts on: from its argument, the URI under the cursor, or a quick pick. */
async function target(s: Services, arg: CommandArg, title: string): Promise<Target | undefined> {
  if (arg instanceof vscode.Uri) {
    const doc = arg.scheme === P.documentScheme ? P.parseDocumentUri(arg.toString()) : undefined;
    if (doc) return split(doc);
    if (arg.scheme === EDIT_SCHEME) return { ref: refOfEditUri(arg) };
  } else if (arg && 'kind' in arg) {
    return nodeTarget(arg);
  } else if (arg && 'target' in arg && arg.target) {
    return { ...split(arg.target), params: arg.params };
  } else if (arg && 'uri' in arg && arg.uri) {
    // A hover's Render & Test link names the URI as written; the server expands it.
    const rendered = await s.client.sendRequest(P.RenderRequest, { uri: arg.uri, params: arg.params });
    return { ...split(rendered.target), params: arg.params };
  } else if (arg && 'id' in arg && arg.host && arg.repo && arg.id) {
    return split({ host: arg.host, repo: arg.repo, id: arg.id, version: 'version' in arg ? arg.version : 'to' in arg ? arg.to : undefined });
  }
  const editor = vscode.window.activeTextEditor;
  if (editor) {
    const at = await s.client.sendRequest(P.ResolveAtRequest, {
      textDocument: { uri: editor.document.uri.toString() },
      position: editor.selection.active,
    });
    if (at) return { ...split(at.target), params: at.params };
  }
  const ref = await pickPrompt(s.tree, title);
  return ref && { ref };
}

function split({ version, ...ref }: P.PromptTarget): Target {
  return { ref, version };
}

function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(`${action} is not available in an untrusted workspace. Trust the workspace to change prompts.`);
  return false;
}

async function openVersion(ref: PromptRef, version: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(versionUri(ref, version));
  await vscode.languages.setTextDocumentLanguage(doc, PROMPT_LANGUAGE);
  await vscode.window.showTextDocument(doc, { preview: true });
}

async function diff(ref: PromptRef, left: string, right: string): Promise<void> {
  await vscode.commands.executeCommand('vscode.diff', versionUri(ref, left), versionUri(ref, right), `${ref.id}: ${left} ↔ ${right}`, { preview: true });
}

async function labelsOf(s: Services, ref: PromptRef): Promise<P.LabelNode[]> {
  const prompt = (await s.tree.prompts()).find((p) => p.ref.host === ref.host && p.ref.repo === ref.repo && p.ref.id === ref.id);
  return prompt?.prompt.labels ?? [];
}

const short = (sha: string) => sha.slice(0, 7);

export const commandFactories: Record<string, (s: Services) => (arg?: CommandArg) => unknown> = {
  [P.Commands.openPrompt]: (s) => async (arg) => {
    const t = await target(s, arg, 'Open Prompt');
    if (!t) return;
    const version = t.version ?? (arg === undefined ? (await pickVersion(s.client, t.ref, `Open ${t.ref.id} at version`))?.spec : 'HEAD');
    if (version) await openVersion(t.ref, version);
  },

  [P.Commands.diffVersions]: (s) => async (arg) => {
    const t = await target(s, arg, 'Diff Versions');
    if (!t) return;
    const from = arg && 'from' in arg ? arg.from : undefined;
    const left = from ? { spec: from } : await pickVersion(s.client, t.ref, `Diff ${t.ref.id}: from version`);
    if (!left) return;
    const right = t.version ? { spec: t.version } : await pickVersion(s.client, t.ref, `Diff ${t.ref.id}: from ${left.spec} to version`);
    if (right) await diff(t.ref, left.spec, right.spec);
  },

  [P.Commands.compareWithProduction]: (s) => async (arg) => {
    const t = await target(s, arg, 'Compare with Production');
    if (!t) return;
    if (!(await labelsOf(s, t.ref)).some((l) => l.name === 'production')) {
      return void vscode.window.showInformationMessage(`${t.ref.id} has no production label yet. Promote a version to production first.`);
    }
    // An open editable prompt is compared as typed, unsaved changes included.
    if (arg instanceof vscode.Uri && arg.scheme === EDIT_SCHEME) {
      return vscode.commands.executeCommand('vscode.diff', versionUri(t.ref, 'production'), arg, `${t.ref.id}: production ↔ yours`);
    }
    await diff(t.ref, 'production', t.version ?? 'HEAD');
  },

  [P.Commands.promoteVersion]: (s) => async (arg) => {
    if (!requireTrust('Promoting')) return;
    const t = await target(s, arg, 'Promote Version');
    if (!t) return;
    const labels = await labelsOf(s, t.ref);
    const presetLabel = arg && !(arg instanceof vscode.Uri) && 'kind' in arg && arg.kind === 'label' ? arg.label.name : undefined;
    const version =
      t.version && !presetLabel
        ? { spec: t.version, sha: (await s.client.sendRequest(P.VersionsRequest, t.ref)).versions.find((v) => v.sha === t.version || v.release === t.version || v.labels.includes(t.version!))?.sha ?? t.version }
        : await pickVersion(s.client, t.ref, `Promote ${t.ref.id}: version to promote`);
    if (!version) return;
    let label = presetLabel;
    if (!label) {
      const picked = await vscode.window.showQuickPick(
        [
          ...labels.map((l) => ({ label: l.name, description: `now → ${l.release ?? short(l.sha)}`, name: l.name })),
          { label: '$(add) New label…', description: '', name: undefined as string | undefined },
        ],
        { title: `Promote ${t.ref.id} @ ${version.spec}: label to move`, placeHolder: 'Label' },
      );
      if (!picked) return;
      label = picked.name ?? (await vscode.window.showInputBox({ title: 'New label', prompt: 'Label name, e.g. canary', validateInput: (v) => (v.trim() ? undefined : 'A label name is required') }));
      if (!label) return;
    }
    const current = labels.find((l) => l.name === label);
    if (current?.sha === version.sha) return void vscode.window.showInformationMessage(`${label} of ${t.ref.id} already points at ${short(version.sha)}.`);
    const from = current ? `${current.release ?? short(current.sha)}` : 'nothing (new label)';
    const confirm = await vscode.window.showWarningMessage(
      `Move ${label} of ${t.ref.id} to ${version.spec === version.sha ? short(version.sha) : `${version.spec} (${short(version.sha)})`}?`,
      { modal: true, detail: `${label} now points at ${from}. Apps reading ${t.ref.id}/${label} get the new version on their next refresh.` },
      'Promote',
    );
    if (confirm !== 'Promote') return;
    try {
      await s.client.sendRequest(P.PromoteRequest, { ...t.ref, label, version: version.sha, expected: current?.sha ?? null });
      void vscode.window.showInformationMessage(`${label} of ${t.ref.id} now points at ${short(version.sha)}.`);
    } catch (error) {
      if (isConflict(error)) {
        void vscode.window.showErrorMessage(`${label} of ${t.ref.id} was moved by someone else while you were promoting. Nothing was changed; the view shows where it points now.`);
      } else {
        void vscode.window.showErrorMessage(`Promote failed: ${errorMessage(error)}`);
      }
    } finally {
      s.tree.refresh();
    }
  },

  [P.Commands.createRelease]: (s) => async (arg) => {
    if (!requireTrust('Creating a release')) return;
    const t = await target(s, arg, 'Create Release');
    if (!t) return;
    const version = t.version ? { spec: t.version } : await pickVersion(s.client, t.ref, `Release ${t.ref.id}: version to tag`);
    if (!version) return;
    const semver = await vscode.window.showInputBox({
      title: `Release ${t.ref.id} @ ${version.spec}`,
      prompt: 'Release version (semver, e.g. 1.3.0); releases are immutable',
      validateInput: (v) => (v.trim() ? undefined : 'A release version is required'),
    });
    if (!semver) return;
    const notes = await vscode.window.showInputBox({ title: `Release ${t.ref.id} ${semver}`, prompt: 'Release notes (optional)' });
    if (notes === undefined) return;
    try {
      await s.client.sendRequest(P.ReleaseRequest, { ...t.ref, version: semver.trim(), ref: version.spec, notes });
      void vscode.window.showInformationMessage(`Released ${t.ref.id} ${semver}.`);
      s.tree.refresh();
    } catch (error) {
      void vscode.window.showErrorMessage(`Release failed: ${errorMessage(error)}`);
    }
  },

  [P.Commands.editPrompt]: (s) => async (arg) => {
    if (!requireTrust('Editing prompts')) return;
    const t = await target(s, arg, 'Edit Prompt');
    if (t) await vscode.window.showTextDocument(editUri(t.ref));
  },

  [P.Commands.newPrompt]: (s) => async (arg) => {
    if (!requireTrust('Creating prompts')) return;
    let where = arg && !(arg instanceof vscode.Uri) && 'kind' in arg && arg.kind === 'repo' ? { host: arg.host.name, repo: arg.repo.name } : undefined;
    if (!where) {
      const repos = [...new Map((await s.tree.prompts()).map((p) => [`${p.ref.host}/${p.ref.repo}`, p.ref])).values()];
      const picked = await vscode.window.showQuickPick(
        repos.map((r) => ({ label: r.repo, description: r.host, r })),
        { title: 'New Prompt: repository' },
      );
      if (!picked) return;
      where = { host: picked.r.host, repo: picked.r.repo };
    }
    const id = await vscode.window.showInputBox({
      title: `New prompt in ${where.host}/${where.repo}`,
      prompt: `Prompt id: ${SEGMENT_RULE}`,
      validateInput: (v) => (isValidSegment(v) ? undefined : `Use ${SEGMENT_RULE}`),
    });
    if (id) await vscode.window.showTextDocument(editUri({ ...where, id }, true));
  },

  [P.Commands.copyUri]: (s) => async (arg) => {
    const t = await target(s, arg, 'Copy URI');
    if (!t) return;
    const uri = formatPromptUri({ ...t.ref, version: t.version, params: {} });
    await vscode.env.clipboard.writeText(uri);
    void vscode.window.setStatusBarMessage(`Copied ${uri}`, 3000);
  },

  [P.Commands.copyPinnedUri]: (s) => async (arg) => {
    const t = await target(s, arg, 'Copy Pinned URI');
    if (!t) return;
    let resolved: P.ResolveVersionResult;
    try {
      resolved = await s.client.sendRequest(P.ResolveVersionRequest, { ...t.ref, ...(t.version ? { version: t.version } : {}) });
    } catch (error) {
      return void vscode.window.showErrorMessage(`Cannot pin ${t.version ?? 'the default version'} of ${t.ref.id}: ${errorMessage(error)}`);
    }
    const uri = resolved.pinnedUri;
    if (!uri) return void vscode.window.showErrorMessage(`${resolved.spec} of ${t.ref.id} is not in the loaded history; pick a version from the tree to pin it.`);
    await vscode.env.clipboard.writeText(uri);
    void vscode.window.setStatusBarMessage(`Copied ${uri}`, 3000);
  },

  [P.Commands.findUsages]: (s) => async (arg) => {
    const t = await target(s, arg, 'Find Usages');
    if (!t) return;
    const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Finding usages of ${t.ref.id}` }, () => s.client.sendRequest(P.FindUsagesRequest, t.ref));
    const locations = found.map((l) => s.client.protocol2CodeConverter.asLocation(l));
    if (locations.length === 0) return void vscode.window.showInformationMessage(`No usages of ${t.ref.id} in this workspace.`);
    await vscode.commands.executeCommand('editor.action.showReferences', locations[0].uri, locations[0].range.start, locations);
  },

  [P.Commands.setApiKey]: (s) => async (arg) => {
    const hosts = arg && !(arg instanceof vscode.Uri) && 'kind' in arg && arg.kind === 'host' ? [arg.host.name] : await s.tree.hostNames();
    const llm = 'LLM endpoint (Render & Test → Run)';
    const which =
      hosts.length === 1 && arg
        ? hosts[0]
        : (await vscode.window.showQuickPick([...hosts.map((h) => ({ label: h, description: 'forge host' })), { label: llm, description: vscode.workspace.getConfiguration('promptforge').get<string>('llm.endpoint') || 'not configured' }], { title: 'Set API Key' }))?.label;
    if (!which) return;
    const key = await vscode.window.showInputBox({ title: `API key for ${which}`, prompt: 'Stored in VS Code SecretStorage. Leave empty to remove the key.', password: true, ignoreFocusOut: true });
    if (key === undefined) return;
    if (which === llm) await s.keys.setLlmKey(key.trim() || undefined);
    else {
      await s.keys.setHostKey(which, key.trim() || undefined);
      await s.keys.sendTo(s.client);
    }
    void vscode.window.showInformationMessage(key.trim() ? `API key for ${which} saved.` : `API key for ${which} removed.`);
  },

  [P.Commands.renderAndTest]: (s) => async (arg) => {
    const t = await target(s, arg, 'Render & Test');
    if (t) s.panels.show(t);
  },

  [P.Commands.reviewWithLlm]: (s) => async (arg) => {
    const t = await target(s, arg, 'Review with LLM');
    if (!t) return;
    const version = t.version ?? (arg === undefined ? (await pickVersion(s.client, t.ref, `Review ${t.ref.id}: version`))?.spec : 'HEAD');
    if (!version) return;
    const instruction = await vscode.window.showInputBox({
      title: `Review ${t.ref.id} @ ${version}`,
      prompt: 'What should the review aim for? Optional: press Enter for a general review.',
      placeHolder: 'e.g. shorter answers, a friendlier tone',
    });
    if (instruction === undefined) return;
    s.panels.show({ ...t, version, review: { instruction } });
  },

  [P.Commands.showLogs]: (s) => () => s.log.show(),

  [P.Commands.refresh]: (s) => async () => {
    await vscode.window.withProgress({ location: { viewId: 'promptforge.forge' } }, () => s.client.sendRequest(P.RefreshRequest, {}));
    s.usage.forget();
    s.tree.refresh();
  },

  [P.Commands.addHost]: () => async () => {
    const name = await vscode.window.showInputBox({
      title: 'Add Host (1/2)',
      prompt: 'Host name as written in URIs, prompt://HOST/repo/id — e.g. localhost:7070 or prompts.acme.dev',
      validateInput: (v) => (/^[A-Za-z0-9.-]+(:\d+)?$/.test(v) ? undefined : 'A host name, optionally with :port'),
    });
    if (!name) return;
    const kind = await vscode.window.showQuickPick(
      [
        { label: '$(server) Forge server', description: 'http://…', type: 'url' as const },
        { label: '$(folder) Local git repository', description: 'a folder of .prompt files, or a folder of repositories', type: 'path' as const },
      ],
      { title: 'Add Host (2/2)' },
    );
    if (!kind) return;
    let entry: { url: string } | { path: string } | undefined;
    if (kind.type === 'url') {
      const url = await vscode.window.showInputBox({ title: `URL of ${name}`, value: `http://${name}`, validateInput: (v) => (/^https?:\/\/\S+$/.test(v) ? undefined : 'An http:// or https:// URL') });
      entry = url ? { url } : undefined;
    } else {
      const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: `Repository folder for ${name}` });
      entry = folder?.[0] ? { path: folder[0].fsPath } : undefined;
    }
    if (!entry) return;
    const config = vscode.workspace.getConfiguration('promptforge');
    const target = vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await config.update('hosts', { ...config.get<Record<string, unknown>>('hosts', {}), [name]: entry }, target);
  },

  [P.Commands.openDemo]: () => async () => {
    if (!requireTrust('Starting the demo forge')) return;
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return void vscode.window.showInformationMessage('Open a folder first: the demo repository is created inside it (.promptforge/demo).');
    const config = vscode.workspace.getConfiguration('promptforge');
    await config.update('hosts', { ...config.get<Record<string, unknown>>('hosts', {}), 'localhost:7070': { url: 'http://localhost:7070' } }, vscode.ConfigurationTarget.Workspace);
    const terminal = vscode.window.createTerminal({ name: 'Prompt Forge demo', cwd: folder.uri });
    terminal.sendText('npx promptforge demo .promptforge/demo; npx promptforge serve --repo demo=.promptforge/demo --port 7070');
    terminal.show();
  },

  [SHOW_STATUS]: (s) => async () => {
    const states = s.status.hosts();
    const logs = '$(output) Show Logs';
    const add = '$(add) Add Host…';
    const picked = await vscode.window.showQuickPick(
      [...states.map((h) => ({ label: `${stateIcon(h.state)} ${h.name}`, description: h.location, detail: describe(h) })), { label: logs }, { label: add }],
      { title: 'Prompt Forge: forges' },
    );
    if (picked?.label === logs) s.log.show();
    if (picked?.label === add) await vscode.commands.executeCommand(P.Commands.addHost);
  },
};

export function registerCommands(s: Services): vscode.Disposable[] {
  return Object.entries(commandFactories).map(([id, factory]) => vscode.commands.registerCommand(id, factory(s)));
}
