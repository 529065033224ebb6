/**
 * A prompt: its URIs, a rendered preview with a form from the params schema, the history
 * with labels, releases and authors, a diff of any two versions, promote / roll back
 * (compare-and-swap: a label moved meanwhile is shown, never silently overwritten),
 * releases and usage. Label moves made anywhere arrive on the event stream.
 */
import { html, nothing } from 'lit-html';
import { unsafeSVG } from 'lit-html/directives/unsafe-svg.js';
import { usageChart } from '../../../core/metrics/chart';
import { ApiError, api, may, promptUri, short, type Param, type PromptSummary, type Rendered, type Version } from '../api';
import { app, errorText, type Page } from '../app';
import { inlineDiff, sideBySide } from '../diffView';
import { QualityPanel } from './quality';

interface Conflict {
  label: string;
  expected: string | null;
  current: string;
  target: string;
}

export class PromptPage implements Page {
  name = 'prompt';
  title: string;
  state: Page['state'] = 'loading';
  summary?: PromptSummary;
  versions: Version[] = [];
  spec = 'HEAD';
  preview?: Rendered;
  previewState: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  previewError = '';
  diff = { from: '', to: '', patch: '', layout: 'inline' as 'inline' | 'sbs', state: 'idle' };
  promote = { label: '', version: '', expected: undefined as string | null | undefined, state: 'idle' as 'idle' | 'confirm' | 'busy' | 'done' | 'conflict' | 'error' | 'gated', message: '' };
  conflict?: Conflict;
  release = { message: '', state: 'idle' };
  usage?: { svg: string; legend: { name: string; calls: number; series: number }[] };
  readonly quality: QualityPanel;

  constructor(
    readonly repo: string,
    readonly id: string,
  ) {
    this.title = id;
    this.quality = new QualityPanel(repo, id);
  }

  async load(): Promise<void> {
    const [summary, versions] = await Promise.all([api.prompt(this.repo, this.id), api.versions(this.repo, this.id)]);
    this.summary = summary ?? undefined;
    this.versions = versions;
    if (!this.diff.from && versions.length > 0) this.diff = { ...this.diff, from: versions[Math.min(1, versions.length - 1)].sha, to: versions[0].sha };
    if (this.previewState === 'idle') void this.renderPreview(this.defaults());
    void this.loadUsage();
    void this.quality.load(this.preview?.sha ?? versions[0]?.sha).then(() => app.update());
  }

  onEvent(type: string, data: Record<string, unknown>): void {
    if (data.repo !== this.repo || data.id !== this.id) return;
    void this.load().then(() => {
      if (type === 'label') app.announce(`Label ${String(data.label)} of ${this.id} moved to ${data.to ? short(String(data.to)) : 'nothing'}`);
      else app.update();
    });
  }

  private describe(sha: string | null): string {
    if (!sha) return 'nowhere (the label did not exist)';
    const v = this.versions.find((x) => x.sha === sha);
    return v ? `${short(sha)}${v.release ? ` (${v.release})` : ''} by ${v.author}: ${v.message}` : short(sha);
  }

  private defaults(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, p] of Object.entries(this.summary?.params ?? {})) if (p.required && p.default === undefined) out[name] = p.enum?.[0] ?? (p.type === 'string' ? name : p.type === 'boolean' ? false : 1);
    return out;
  }

  private async renderPreview(params: Record<string, unknown>): Promise<void> {
    this.previewState = 'loading';
    app.update();
    try {
      this.preview = await api.render(promptUri(this.repo, this.id, this.spec), params);
      this.previewState = 'ready';
      void this.quality.load(this.preview.sha).then(() => app.update());
    } catch (error) {
      this.previewState = 'error';
      this.previewError = errorText(error);
    }
    app.update();
  }

  private submitParams(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const params: Record<string, unknown> = {};
    try {
      for (const [name, p] of Object.entries(this.summary?.params ?? {})) {
        const input = form.elements.namedItem(`param-${name}`) as HTMLInputElement;
        if (p.type === 'boolean') params[name] = input.checked;
        else if (input.value === '') continue;
        else if (p.type === 'number' || p.type === 'integer') params[name] = Number(input.value);
        else if (p.type === 'array' || p.type === 'object') params[name] = JSON.parse(input.value);
        else params[name] = input.value;
      }
    } catch (error) {
      this.previewState = 'error';
      this.previewError = `A list or object param must be JSON: ${(error as Error).message}`;
      app.update();
      return;
    }
    void this.renderPreview(params);
  }

  private async showDiff(): Promise<void> {
    this.diff.state = 'loading';
    app.update();
    try {
      this.diff.patch = (await api.diff(this.repo, this.id, this.diff.from, this.diff.to)).diff;
      this.diff.state = 'ready';
    } catch (error) {
      this.diff.patch = errorText(error);
      this.diff.state = 'error';
    }
    app.update();
  }

  private startPromote(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const label = (form.elements.namedItem('label') as HTMLInputElement).value.trim();
    const version = (form.elements.namedItem('version') as HTMLSelectElement).value;
    // What the decision is based on: the label as this page shows it now.
    this.promote = { label, version, expected: this.summary?.labels[label] ?? null, state: 'confirm', message: '' };
    this.conflict = undefined;
    app.update();
  }

  private async rollBack(label: string): Promise<void> {
    try {
      const res = await fetch(`/api/v1/repos/${encodeURIComponent(this.repo)}/prompts/${encodeURIComponent(this.id)}/labels/${encodeURIComponent(label)}/history`);
      const history = ((await res.json()) as { history: { from: string | null }[] }).history;
      const previous = history[0]?.from;
      if (!previous) return app.announce(`Label ${label} has no earlier position to roll back to`);
      this.promote = { label, version: previous, expected: this.summary?.labels[label] ?? null, state: 'confirm', message: '' };
      app.update();
    } catch (error) {
      app.announce(errorText(error));
    }
  }

  private async confirmPromote(expected: string | null | undefined): Promise<void> {
    const { label, version } = this.promote;
    this.promote.state = 'busy';
    app.update();
    try {
      const moved = await api.promote(this.repo, this.id, label, version, expected ?? null);
      this.promote = { ...this.promote, state: 'done', message: `${label} now points at ${this.describe(moved.to)}` };
      this.conflict = undefined;
      await this.load();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'label_conflict') {
        await this.load();
        this.conflict = { label, expected: expected ?? null, current: String(error.body.current), target: version };
        this.promote.state = 'conflict';
      } else {
        this.promote = { ...this.promote, state: error instanceof ApiError && error.code === 'gate_failed' ? 'gated' : 'error', message: errorText(error) };
      }
    }
    app.update();
  }

  private async createRelease(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const get = (n: string) => (form.elements.namedItem(n) as HTMLInputElement).value;
    try {
      const r = await api.release(this.repo, this.id, get('release-version'), get('release-ref'), get('release-notes'));
      this.release = { state: 'done', message: `Released ${r.version} at ${short(r.sha)}` };
      form.reset();
      await this.load();
    } catch (error) {
      this.release = { state: 'error', message: errorText(error) };
    }
    app.update();
  }

  private async loadUsage(): Promise<void> {
    const since = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const series = await api.usage(this.repo, this.id, since).catch(() => undefined);
    if (!series || !Array.isArray((series as { versions?: unknown }).versions)) return;
    const name = (sha: string) => this.versions.find((v) => v.sha === sha)?.release ?? short(sha);
    const chart = usageChart(series as never, { now: new Date(), buckets: 30, name });
    this.usage = chart.legend.length > 0 ? chart : undefined;
    app.update();
  }

  private copy(text: string, what: string): void {
    void navigator.clipboard.writeText(text).then(
      () => app.announce(`Copied the ${what}: ${text}`),
      () => app.announce(`Could not copy; select the ${what} and copy it yourself`),
    );
  }

  view() {
    const p = this.summary;
    if (!p) return html`<h1>${this.id}</h1><p>${this.state === 'loading' ? 'Loading…' : `No prompt "${this.id}" in ${this.repo}.`}</p>`;
    const canWrite = may(app.session.caller, 'write');
    const uri = promptUri(this.repo, this.id, this.spec === 'HEAD' ? undefined : this.spec);
    const pinned = this.preview ? promptUri(this.repo, this.id, this.preview.sha) : '';
    const versionOption = (v: Version, selected: string) =>
      html`<option value=${v.sha} ?selected=${v.sha === selected}>${short(v.sha)} ${v.release ?? ''} ${v.labels.join(' ')} — ${v.message.slice(0, 60)}</option>`;
    return html`
      <nav aria-label="Breadcrumb" class="crumbs"><a href="#/">Catalog</a> / ${this.repo}</nav>
      <h1>${p.id} ${p.status !== 'active' ? html`<span class="badge status">${p.status}</span>` : ''}</h1>
      <p class="description">${p.description ?? ''}</p>
      <p>${p.tags.map((t) => html`<span class="badge tag">${t}</span>`)}
        ${Object.entries(p.labels).sort().map(([l, sha]) => html`<span class="badge label" data-label=${l} data-sha=${sha}>${l} → ${short(sha)}</span>`)}
        ${canWrite ? html`<a class="button" href=${`#/p/${encodeURIComponent(this.repo)}/${encodeURIComponent(this.id)}/edit`}>Edit</a>` : nothing}</p>
      <div class="uris">
        <div><code data-uri>${uri}</code> <button type="button" @click=${() => this.copy(uri, 'URI')}>Copy URI</button></div>
        ${pinned ? html`<div><code data-pinned>${pinned}</code> <button type="button" @click=${() => this.copy(pinned, 'pinned URI')}>Copy pinned URI</button></div>` : nothing}
      </div>

      <section aria-labelledby="preview-h" class="card">
        <h2 id="preview-h">Preview</h2>
        <form class="params" @submit=${(e: SubmitEvent) => this.submitParams(e)}>
          <label>Version
            <select name="spec" @change=${(e: Event) => (this.spec = (e.target as HTMLSelectElement).value)}>
              <option value="HEAD">newest (HEAD)</option>
              ${Object.keys(p.labels).sort().map((l) => html`<option value=${l}>label ${l}</option>`)}
              ${this.versions.map((v) => versionOption(v, ''))}
            </select>
          </label>
          ${Object.entries(p.params).map(([name, schema]) => paramInput(name, schema, this.defaults()[name]))}
          <button type="submit">Render</button>
        </form>
        <div class="rendered" data-preview=${this.previewState} aria-busy=${this.previewState === 'loading'}>
          ${this.previewState === 'error' ? html`<p class="error" role="alert">${this.previewError}</p>` : nothing}
          ${this.preview && this.previewState === 'ready'
            ? this.preview.messages
              ? html`<ol class="messages">${this.preview.messages.map((m) => html`<li data-role=${m.role}><span class="role">${m.role}</span><pre>${m.content}</pre></li>`)}</ol>`
              : html`<pre class="text" tabindex="0" aria-label="Rendered text">${this.preview.text}</pre>`
            : nothing}
        </div>
      </section>

      ${canWrite
        ? html`<section aria-labelledby="promote-h" class="card">
            <h2 id="promote-h">Promote or roll back</h2>
            <form class="inline" @submit=${(e: SubmitEvent) => this.startPromote(e)}>
              <label>Label <input name="label" list="labels" required value=${this.promote.label || Object.keys(p.labels)[0] || 'production'} /></label>
              <datalist id="labels">${Object.keys(p.labels).map((l) => html`<option value=${l}></option>`)}</datalist>
              <label>Version <select name="version">${this.versions.map((v) => versionOption(v, this.promote.version))}</select></label>
              <button type="submit">Promote…</button>
              ${Object.keys(p.labels).sort().map((l) => html`<button type="button" @click=${() => this.rollBack(l)}>Roll back ${l}</button>`)}
            </form>
            <div data-promote=${this.promote.state}>
              ${this.promote.state === 'confirm'
                ? html`<div class="confirm" role="group" aria-label="Confirm the move">
                    <p>Move <strong>${this.promote.label}</strong> from ${this.describe(this.promote.expected ?? null)} to ${this.describe(this.promote.version)}?</p>
                    <button type="button" @click=${() => this.confirmPromote(this.promote.expected)}>Move ${this.promote.label}</button>
                    <button type="button" @click=${() => ((this.promote.state = 'idle'), app.update())}>Cancel</button>
                  </div>`
                : nothing}
              ${this.conflict
                ? html`<div class="conflict" role="alert" data-conflict>
                    <p><strong>${this.conflict.label} was moved by someone else</strong> after you decided: nothing was changed.</p>
                    <div class="sides">
                      <div><h3>You expected it at</h3><p data-side="expected">${this.describe(this.conflict.expected)}</p></div>
                      <div><h3>It is now at</h3><p data-side="current">${this.describe(this.conflict.current)}</p></div>
                    </div>
                    <p>You asked to move it to ${this.describe(this.conflict.target)}.</p>
                    <button type="button" @click=${() => this.confirmPromote(this.conflict!.current)}>Move it from ${short(this.conflict.current)} anyway</button>
                    <button type="button" @click=${() => ((this.conflict = undefined), (this.promote.state = 'idle'), app.update())}>Leave it</button>
                  </div>`
                : nothing}
              ${this.promote.state === 'done' ? html`<p class="ok" role="status">${this.promote.message}</p>` : nothing}
              ${this.promote.state === 'error' ? html`<p class="error" role="alert">${this.promote.message}</p>` : nothing}
              ${this.promote.state === 'gated'
                ? html`<div role="alert"><p class="error">${this.promote.message}</p>
                    <button type="button" @click=${() => this.quality.request(this.promote.label, this.promote.version, '').then(() => ((this.promote.state = 'idle'), app.update()))}>Request promotion of ${this.promote.label}</button></div>`
                : nothing}
            </div>
            <h3>Create a release</h3>
            <form class="inline" @submit=${(e: SubmitEvent) => this.createRelease(e)}>
              <label>Release <input name="release-version" required placeholder="1.2.0" /></label>
              <label>Of <select name="release-ref">${this.versions.map((v) => versionOption(v, ''))}</select></label>
              <label>Notes <input name="release-notes" /></label>
              <button type="submit">Release</button>
            </form>
            ${this.release.message ? html`<p class=${this.release.state === 'error' ? 'error' : 'ok'} role="status">${this.release.message}</p>` : nothing}
          </section>`
        : nothing}

      ${this.quality.view(this.preview?.sha ?? this.versions[0]?.sha)}

      <section aria-labelledby="history-h" class="card">
        <h2 id="history-h">History</h2>
        <ol class="timeline">
          ${this.versions.map(
            (v) => html`<li data-sha=${v.sha}>
              <code>${short(v.sha)}</code>
              ${v.releases.map((r) => html`<span class="badge release">${r}</span>`)}
              ${v.labels.map((l) => html`<span class="badge label">${l}</span>`)}
              <span class="message">${v.message}</span>
              <span class="muted">— <span class="author">${v.author}</span>, ${v.date.slice(0, 16).replace('T', ' ')}</span>
            </li>`,
          )}
        </ol>
      </section>

      <section aria-labelledby="diff-h" class="card">
        <h2 id="diff-h">Compare versions</h2>
        <form class="inline" @submit=${(e: SubmitEvent) => (e.preventDefault(), this.showDiff())}>
          <label>From <select name="from" @change=${(e: Event) => (this.diff.from = (e.target as HTMLSelectElement).value)}>${this.versions.map((v) => versionOption(v, this.diff.from))}</select></label>
          <label>To <select name="to" @change=${(e: Event) => (this.diff.to = (e.target as HTMLSelectElement).value)}>${this.versions.map((v) => versionOption(v, this.diff.to))}</select></label>
          <fieldset class="layout"><legend>Layout</legend>
            <label><input type="radio" name="layout" value="inline" ?checked=${this.diff.layout === 'inline'} @change=${() => ((this.diff.layout = 'inline'), app.update())} /> Inline</label>
            <label><input type="radio" name="layout" value="sbs" ?checked=${this.diff.layout === 'sbs'} @change=${() => ((this.diff.layout = 'sbs'), app.update())} /> Side by side</label>
          </fieldset>
          <button type="submit">Show diff</button>
        </form>
        <div data-diff=${this.diff.state}>
          ${this.diff.state === 'ready' ? (this.diff.patch ? (this.diff.layout === 'inline' ? inlineDiff(this.diff.patch) : sideBySide(this.diff.patch)) : html`<p>No changes.</p>`) : nothing}
          ${this.diff.state === 'error' ? html`<p class="error" role="alert">${this.diff.patch}</p>` : nothing}
        </div>
      </section>

      <section aria-labelledby="usage-h" class="card">
        <h2 id="usage-h">Usage, last 30 days</h2>
        ${this.usage
          ? html`<figure class="chart">${unsafeSVG(this.usage.svg)}<figcaption>${this.usage.legend.map((l) => html`<span class=${`key series-${l.series}`}>${l.name}: ${l.calls} calls</span> `)}</figcaption></figure>`
          : html`<p class="muted">No calls recorded in the last 30 days.</p>`}
      </section>`;
  }
}

function paramInput(name: string, p: Param, fallback: unknown) {
  const id = `param-${name}`;
  const value = p.default ?? fallback;
  const hint = [p.type, p.required ? 'required' : '', p.description ?? ''].filter(Boolean).join(' · ');
  const label = html`<label for=${id}>${name}${p.required ? ' *' : ''}</label>`;
  let input;
  if (p.enum) input = html`<select id=${id} name=${id}>${p.enum.map((v) => html`<option ?selected=${v === value}>${String(v)}</option>`)}</select>`;
  else if (p.type === 'boolean') input = html`<input id=${id} name=${id} type="checkbox" ?checked=${value === true} />`;
  else if (p.type === 'number' || p.type === 'integer') input = html`<input id=${id} name=${id} type="number" step=${p.type === 'integer' ? '1' : 'any'} .value=${value === undefined ? '' : String(value)} />`;
  else if (p.type === 'array' || p.type === 'object') input = html`<textarea id=${id} name=${id} rows="2">${value === undefined ? '' : JSON.stringify(value)}</textarea>`;
  else input = html`<input id=${id} name=${id} type="text" .value=${value === undefined ? '' : String(value)} />`;
  return html`<div class="field">${label}${input}<small>${hint}</small></div>`;
}
