/** The web console's entry: routes (the URL hash), session, event stream, page chrome. */
import { html, type TemplateResult } from 'lit-html';
import { api, may } from './api';
import { app, errorText, type Page } from './app';
import { CatalogPage } from './pages/catalog';
import { DashboardPage } from './pages/dashboard';
import { EditorPage } from './pages/editor';
import { PromptPage } from './pages/prompt';
import { SignInPage } from './pages/signin';
import './style.css';

function route(): Page {
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (app.session.keys && !app.session.caller) return new SignInPage(() => start());
  if (parts[0] === 'p' && parts.length >= 3) {
    if (parts[3] === 'edit' && may(app.session.caller, 'write')) return new EditorPage(parts[1], parts[2]);
    return new PromptPage(parts[1], parts[2]);
  }
  if (parts[0] === 'dashboard') return new DashboardPage();
  return new CatalogPage(new URLSearchParams(query).get('q') ?? '');
}

let shown = false;
function show(): void {
  const page = route();
  app.page = page;
  app.update();
  // After a navigation, keyboard and screen reader users start at the new page's content.
  if (shown) document.getElementById('main')?.focus();
  shown = true;
  page.load().then(
    () => {
      if (page.state === 'loading') page.state = 'ready';
      app.update();
    },
    (error) => {
      page.state = 'error';
      app.announce(errorText(error));
    },
  );
}

async function signOut(): Promise<void> {
  app.session = await api.signOut();
  events?.close();
  events = undefined;
  location.hash = '#/';
  show();
}

app.chrome = (content: TemplateResult) => {
  const page = app.page!;
  const caller = app.session.caller;
  return html`
    <a class="skip" href="#main" @click=${(e: Event) => (e.preventDefault(), document.getElementById('main')?.focus())}>Skip to content</a>
    <header class="bar">
      <a class="brand" href="#/">Prompt Forge</a>
      ${caller || !app.session.keys
        ? html`<nav aria-label="Console">
            <a href="#/" aria-current=${page.name === 'catalog' ? 'page' : 'false'}>Catalog</a>
            <a href="#/dashboard" aria-current=${page.name === 'dashboard' ? 'page' : 'false'}>Dashboard</a>
          </nav>`
        : ''}
      <span class="who">
        ${caller && app.session.keys
          ? html`<span data-caller=${caller.name}>${caller.name} (${caller.role})</span>
              <button type="button" class="link" @click=${signOut}>Sign out</button>`
          : ''}
      </span>
    </header>
    <main id="main" tabindex="-1" data-page=${page.name} data-state=${page.state}>${content}</main>
    <div class="toast" role="status" aria-live="polite">${app.announcement}</div>
  `;
};

let events: EventSource | undefined;
function listen(): void {
  if (events) return;
  events = new EventSource('/api/v1/events');
  for (const type of ['label', 'version', 'release', 'tests.completed', 'request.created', 'request.approved', 'request.rejected', 'request.applied']) {
    events.addEventListener(type, (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as Record<string, unknown>;
      app.activity.unshift({ type, data, at: new Date() });
      app.activity.length = Math.min(app.activity.length, 50);
      app.page?.onEvent?.(type, data);
      app.update();
    });
  }
  events.addEventListener('open', () => document.body.setAttribute('data-live', 'open'));
}

async function start(): Promise<void> {
  app.session = await api.session();
  if (!app.session.keys || app.session.caller) listen();
  show();
}

window.addEventListener('hashchange', show);
void start().catch((error) => {
  document.getElementById('app')!.textContent = `The console could not reach the forge: ${errorText(error)}`;
});
