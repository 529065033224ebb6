/** The dashboard: counts over every repo, the newest versions, and what changed since the console opened. */
import { html } from 'lit-html';
import { api, type PromptSummary, type Repo } from '../api';
import { app, type Page } from '../app';

export class DashboardPage implements Page {
  name = 'dashboard';
  title = 'Dashboard';
  state: Page['state'] = 'loading';
  repos: Repo[] = [];
  rows: { repo: string; prompt: PromptSummary }[] = [];

  async load(): Promise<void> {
    this.repos = await api.repos();
    const lists = await Promise.all(this.repos.map((r) => api.prompts(r.name)));
    this.rows = this.repos.flatMap((r, i) => lists[i].map((prompt) => ({ repo: r.name, prompt })));
  }

  view() {
    const count = (f: (p: PromptSummary) => boolean) => this.rows.filter((r) => f(r.prompt)).length;
    const labels = this.rows.reduce((n, r) => n + Object.keys(r.prompt.labels).length, 0);
    const newest = [...this.rows].sort((a, b) => (a.prompt.latest.date < b.prompt.latest.date ? 1 : -1)).slice(0, 10);
    const failing = app.activity.filter((a) => a.type === 'tests.completed' && Number(a.data.failed) > 0);
    const link = (repo: unknown, id: unknown) => html`<a href=${`#/p/${encodeURIComponent(String(repo))}/${encodeURIComponent(String(id))}`}>${repo}/${id}</a>`;
    return html`<h1>Dashboard</h1>
      <dl class="stats">
        <div><dt>Repos</dt><dd data-stat="repos">${this.repos.length}</dd></div>
        <div><dt>Prompts</dt><dd data-stat="prompts">${this.rows.length}</dd></div>
        <div><dt>Labels</dt><dd data-stat="labels">${labels}</dd></div>
        <div><dt>Drafts</dt><dd>${count((p) => p.status === 'draft')}</dd></div>
        <div><dt>Deprecated</dt><dd>${count((p) => p.status === 'deprecated')}</dd></div>
        <div><dt>With problems</dt><dd>${count((p) => p.problems !== undefined)}</dd></div>
      </dl>
      <section aria-labelledby="alerts-h">
        <h2 id="alerts-h">Alerts</h2>
        ${failing.length === 0
          ? html`<p class="muted">No failing test runs since the console opened.</p>`
          : html`<ul class="alerts" data-alerts=${failing.length}>${failing.map((a) => html`<li class="error">${link(a.data.repo, a.data.id)}: ${a.data.failed} test${a.data.failed === 1 ? '' : 's'} failed on ${String(a.data.sha).slice(0, 8)}</li>`)}</ul>`}
      </section>
      <section aria-labelledby="live-h">
        <h2 id="live-h">Live activity</h2>
        ${app.activity.length === 0
          ? html`<p class="muted">Nothing yet: promotions, new versions, releases, test runs and requests appear here as they happen.</p>`
          : html`<ol class="activity">${app.activity.map((a) => html`<li>${a.at.toLocaleTimeString()} · ${a.type} · ${link(a.data.repo, a.data.id)} ${a.data.label ?? a.data.version ?? ''}</li>`)}</ol>`}
      </section>
      <section aria-labelledby="recent-h">
        <h2 id="recent-h">Newest versions</h2>
        <ol class="activity">${newest.map((r) => html`<li>${r.prompt.latest.date.slice(0, 16).replace('T', ' ')} · ${link(r.repo, r.prompt.id)} ${r.prompt.latest.release ?? r.prompt.latest.sha.slice(0, 8)}</li>`)}</ol>
      </section>`;
  }
}
