/** The catalog: every prompt of every repo, searched by id, description and tag, filtered by status and label. */
import { html } from 'lit-html';
import { api, type PromptSummary, type Repo } from '../api';
import { app, type Page } from '../app';

const SHOWN = 200;

export class CatalogPage implements Page {
  name = 'catalog';
  title = 'Catalog';
  state: Page['state'] = 'loading';
  repos: Repo[] = [];
  rows: { repo: string; prompt: PromptSummary }[] = [];
  /** Calls in the last 7 days by repo and id. */
  calls = new Map<string, Record<string, number>>();
  status = '';
  label = '';

  constructor(public query: string) {}

  async load(): Promise<void> {
    this.repos = await api.repos();
    const lists = await Promise.all(this.repos.map((r) => api.prompts(r.name)));
    this.rows = this.repos.flatMap((r, i) => lists[i].map((prompt) => ({ repo: r.name, prompt })));
    const calls = await Promise.all(this.repos.map((r) => api.calls(r.name).catch(() => ({}))));
    this.calls = new Map(this.repos.map((r, i) => [r.name, calls[i]]));
  }

  onEvent(type: string): void {
    if (type === 'label' || type === 'version' || type === 'release') void this.load().then(() => app.update());
  }

  private matches(): { repo: string; prompt: PromptSummary }[] {
    const words = this.query.toLowerCase().split(/\s+/).filter(Boolean);
    return this.rows.filter(({ prompt: p }) => {
      if (this.status && p.status !== this.status) return false;
      if (this.label && !Object.hasOwn(p.labels, this.label)) return false;
      const hay = [p.id, p.description ?? '', ...p.tags].join(' ').toLowerCase();
      return words.every((w) => hay.includes(w));
    });
  }

  view() {
    const found = this.matches();
    const labels = [...new Set(this.rows.flatMap((r) => Object.keys(r.prompt.labels)))].sort();
    const set = (key: 'query' | 'status' | 'label') => (e: Event) => {
      this[key] = (e.target as HTMLInputElement).value;
      app.update();
    };
    return html`<h1>Prompts</h1>
      <form class="filters" role="search" @submit=${(e: Event) => e.preventDefault()}>
        <label>Search <input type="search" name="q" .value=${this.query} @input=${set('query')} placeholder="id, description or tag" /></label>
        <label>Status
          <select name="status" @change=${set('status')}>
            <option value="">any</option>
            ${['active', 'draft', 'deprecated'].map((s) => html`<option ?selected=${s === this.status}>${s}</option>`)}
          </select>
        </label>
        <label>Label
          <select name="label" @change=${set('label')}>
            <option value="">any</option>
            ${labels.map((l) => html`<option ?selected=${l === this.label}>${l}</option>`)}
          </select>
        </label>
      </form>
      <p class="count" data-count=${found.length}>${found.length} of ${this.rows.length} prompts${found.length > SHOWN ? ` (first ${SHOWN} shown)` : ''}</p>
      <table class="catalog">
        <thead><tr><th scope="col">Prompt</th><th scope="col">Description</th><th scope="col">Tags</th><th scope="col">Labels</th><th scope="col">Newest</th><th scope="col">Calls, 7 days</th></tr></thead>
        <tbody>
          ${found.slice(0, SHOWN).map(
            ({ repo, prompt: p }) => html`<tr data-prompt=${`${repo}/${p.id}`}>
              <th scope="row"><a href=${`#/p/${encodeURIComponent(repo)}/${encodeURIComponent(p.id)}`}>${this.repos.length > 1 ? `${repo}/` : ''}${p.id}</a>
                ${p.status !== 'active' ? html`<span class="badge status">${p.status}</span>` : ''}${p.problems ? html`<span class="badge bad">problems</span>` : ''}</th>
              <td>${p.description ?? ''}</td>
              <td>${p.tags.map((t) => html`<span class="badge tag">${t}</span>`)}</td>
              <td>${Object.keys(p.labels).sort().map((l) => html`<span class="badge label">${l}</span>`)}</td>
              <td>${p.latest.release ?? p.latest.sha.slice(0, 8)} <span class="muted">${p.latest.date.slice(0, 10)}</span></td>
              <td class="num" data-calls=${this.calls.get(repo)?.[p.id] ?? 0}>${(this.calls.get(repo)?.[p.id] ?? 0).toLocaleString('en-US')}</td>
            </tr>`,
          )}
        </tbody>
      </table>`;
  }
}
