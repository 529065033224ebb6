/**
 * The console's shell: the signed-in session, the current page, a polite live region for
 * what just happened, and one re-render of everything through lit-html. lit-html puts
 * every interpolated value in as text (or an attribute value), never as markup, so a
 * prompt's text, a commit message or an author is shown, never run.
 */
import { html, render, type TemplateResult } from 'lit-html';
import type { Session } from './api';

export interface Page {
  /** `data-page` of <main>: tests and styles key on it. */
  name: string;
  title: string;
  /** `loading` until the first data is in, then `ready` (or `error`). */
  state: 'loading' | 'ready' | 'error';
  view(): TemplateResult;
  load(): Promise<void>;
  /** A change from the forge's event stream. */
  onEvent?(type: string, data: Record<string, unknown>): void;
}

export interface Activity {
  type: string;
  data: Record<string, unknown>;
  at: Date;
}

export const app = {
  session: { keys: false, caller: null } as Session,
  page: undefined as Page | undefined,
  announcement: '',
  /** Changes seen on the event stream since the console opened, newest first. */
  activity: [] as Activity[],
  chrome: (_content: TemplateResult): TemplateResult => html``,
  update(): void {
    const page = this.page;
    if (!page) return;
    document.title = `${page.title} · Prompt Forge`;
    const root = document.getElementById('app')!;
    // lit-html renders after what is already there: drop the boot message once.
    root.querySelector(':scope > .boot')?.remove();
    render(this.chrome(page.view()), root);
  },
  announce(text: string): void {
    this.announcement = text;
    this.update();
  },
};

export function errorText(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code ? `${e.message} (${e.code})` : String(e.message ?? error);
}
