/**
 * The editor: CodeMirror 6 with `.prompt` highlighting; problems as you type come from the
 * forge's own checks (`POST …/check`, the language server's codes and messages). Save is a
 * commit with a message on a branch, based on the version the edit started from; if the
 * branch moved past it (409 branch_conflict) both sides are shown and nothing is overwritten.
 */
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { syntaxHighlighting } from '@codemirror/language';
import { linter, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { classHighlighter } from '@lezer/highlight';
import { html, nothing } from 'lit-html';
import { ApiError, api, short, type CheckProblem, type Version } from '../api';
import { app, errorText, type Page } from '../app';
import { promptLanguage } from '../promptLang';

export class EditorPage implements Page {
  name = 'editor';
  title: string;
  state: Page['state'] = 'loading';
  base = '';
  branch = '';
  problems: CheckProblem[] = [];
  checked = 0;
  save: { state: 'idle' | 'busy' | 'saved' | 'conflict' | 'error'; message: string; sha?: string } = { state: 'idle', message: '' };
  theirs?: { sha: string; content: string; version?: Version };
  private editor?: EditorView;
  private readonly host = document.createElement('div');

  constructor(
    readonly repo: string,
    readonly id: string,
  ) {
    this.title = `Edit ${id}`;
    this.host.className = 'editor';
  }

  async load(): Promise<void> {
    const [source, repos] = await Promise.all([api.source(this.repo, this.id), api.repos()]);
    this.base = source.sha;
    this.branch = repos.find((r) => r.name === this.repo)?.defaultBranch ?? 'main';
    this.editor = new EditorView({
      doc: source.content,
      parent: this.host,
      extensions: [
        // The file's bytes as they are: CRLF and lone CR stay in the text instead of becoming LF.
        EditorState.lineSeparator.of('\n'),
        EditorView.cspNonce.of(document.querySelector<HTMLMetaElement>('meta[name=csp-nonce]')?.content ?? ''),
        lineNumbers(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        keymap.of([...defaultKeymap, ...historyKeymap]),
        promptLanguage,
        syntaxHighlighting(classHighlighter),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-label': `${this.id}.prompt`, 'aria-describedby': 'problems-h' }),
        linter((view) => this.check(view.state.doc.toString()), { delay: 250 }),
      ],
    });
  }

  private async check(content: string): Promise<Diagnostic[]> {
    try {
      this.problems = (await api.check(this.repo, this.id, content)).problems;
      this.checked++;
    } catch (error) {
      app.announce(errorText(error));
      return [];
    }
    app.update();
    const length = content.length;
    return this.problems.map((p) => ({ from: Math.min(p.start, length), to: Math.min(Math.max(p.end, p.start), length), severity: p.severity, message: `${p.message} [${p.code}]` }));
  }

  private async commit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const message = (form.elements.namedItem('message') as HTMLInputElement).value;
    this.branch = (form.elements.namedItem('branch') as HTMLInputElement).value || this.branch;
    this.save = { state: 'busy', message: '' };
    app.update();
    try {
      const done = await api.commit(this.repo, this.id, { content: this.editor!.state.doc.toString(), base: this.base, message, branch: this.branch });
      this.base = done.sha;
      this.theirs = undefined;
      this.save = { state: 'saved', message: `Committed ${short(done.sha)} on ${done.branch}`, sha: done.sha };
      form.reset();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'branch_conflict') {
        const current = String(error.body.current ?? '');
        const [source, versions] = await Promise.all([api.source(this.repo, this.id, current), api.versions(this.repo, this.id).catch(() => [])]);
        this.theirs = { sha: source.sha, content: source.content, version: versions.find((v) => v.sha === source.sha) };
        this.save = { state: 'conflict', message: errorText(error) };
      } else {
        this.save = { state: 'error', message: errorText(error) };
      }
    }
    app.update();
  }

  private takeTheirs(): void {
    const theirs = this.theirs!;
    this.editor!.dispatch({ changes: { from: 0, to: this.editor!.state.doc.length, insert: theirs.content } });
    this.base = theirs.sha;
    this.theirs = undefined;
    this.save = { state: 'idle', message: `Loaded ${short(theirs.sha)}; your text was replaced` };
    app.update();
  }

  private keepMine(): void {
    // The user has looked at both sides; the next save is based on theirs.
    this.base = this.theirs!.sha;
    this.theirs = undefined;
    this.save = { state: 'idle', message: `Your text is now based on ${short(this.base)}: merge what you need from it, then save` };
    app.update();
  }

  view() {
    const errors = this.problems.filter((p) => p.severity === 'error').length;
    return html`
      <nav aria-label="Breadcrumb" class="crumbs"><a href="#/">Catalog</a> / ${this.repo} / <a href=${`#/p/${encodeURIComponent(this.repo)}/${encodeURIComponent(this.id)}`}>${this.id}</a></nav>
      <h1>Edit ${this.id}</h1>
      <p class="muted">Based on <code data-base=${this.base}>${short(this.base)}</code>. Tab leaves the editor.</p>
      ${this.host}
      <section aria-labelledby="problems-h">
        <h2 id="problems-h">Problems</h2>
        <ul class="problems" data-checked=${this.checked} data-problems=${this.problems.length}>
          ${this.problems.length === 0 ? html`<li class="muted">${this.checked ? 'No problems.' : 'Checking…'}</li>` : nothing}
          ${this.problems.map((p) => html`<li class=${p.severity} data-code=${p.code}>${p.from.line + 1}:${p.from.character + 1} ${p.severity}: ${p.message} [${p.code}]</li>`)}
        </ul>
      </section>
      <form class="inline card" @submit=${(e: SubmitEvent) => this.commit(e)}>
        <label>Commit message <input name="message" required size="50" /></label>
        <label>Branch <input name="branch" .value=${this.branch} /></label>
        <button type="submit" ?disabled=${errors > 0 || this.save.state === 'busy'}>Save (commit)</button>
      </form>
      <div data-save=${this.save.state} data-sha=${this.save.sha ?? ''}>
        ${this.save.message ? html`<p class=${this.save.state === 'error' || this.save.state === 'conflict' ? 'error' : 'ok'} role="status">${this.save.message}</p>` : nothing}
        ${this.theirs
          ? html`<div class="conflict" role="alert" data-conflict>
              <p><strong>The branch moved past your base.</strong> Nothing was saved. Compare, then choose:</p>
              <div class="sides">
                <div><h3>Yours (unsaved)</h3><pre data-side="mine" tabindex="0">${this.editor!.state.doc.toString()}</pre></div>
                <div><h3>On ${this.branch} now: ${short(this.theirs.sha)}${this.theirs.version ? html` by ${this.theirs.version.author}: ${this.theirs.version.message}` : nothing}</h3>
                  <pre data-side="theirs" tabindex="0">${this.theirs.content}</pre></div>
              </div>
              <button type="button" @click=${() => this.keepMine()}>Keep mine and merge by hand</button>
              <button type="button" @click=${() => this.takeTheirs()}>Take theirs (drop mine)</button>
            </div>`
          : nothing}
      </div>`;
  }
}
