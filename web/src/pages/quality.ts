/**
 * The prompt page's quality gates: the latest test results of a version (and running its
 * suite), and the promotion requests of each label (request, approve, reject, apply).
 * What a role may not do is not offered (nor approving one's own request); what the forge refuses is shown with its code.
 */
import { html, nothing } from 'lit-html';
import { ApiError, call, may, short } from '../api';
import { app, errorText } from '../app';

interface TestRun {
  sha: string;
  at: string;
  actor: string;
  result: { passed: number; failed: number; tests: { name: string; pass: boolean; score: number; error?: string }[] };
}

interface Step {
  by: string;
  at: string;
  note?: string;
}

interface PromotionRequest {
  rid: string;
  label: string;
  version: string;
  sha: string;
  status: 'open' | 'rejected' | 'applied';
  requested: Step;
  approvals: Step[];
}

export class QualityPanel {
  tests?: TestRun;
  testsState: 'idle' | 'loading' | 'ready' | 'not-run' | 'running' | 'error' = 'idle';
  testsMessage = '';
  requests: PromotionRequest[] = [];
  message = '';

  constructor(
    readonly repo: string,
    readonly id: string,
  ) {}

  private get base(): string {
    return `/api/v1/repos/${encodeURIComponent(this.repo)}/prompts/${encodeURIComponent(this.id)}`;
  }

  async load(sha: string | undefined): Promise<void> {
    if (sha) await this.loadTests(sha);
    this.requests = (await call<{ requests: PromotionRequest[] }>('GET', `${this.base}/requests`).catch(() => ({ requests: [] }))).requests;
  }

  private async loadTests(sha: string): Promise<void> {
    try {
      this.tests = await call<TestRun>('GET', `${this.base}/tests?version=${sha}`);
      this.testsState = 'ready';
    } catch (error) {
      this.tests = undefined;
      this.testsState = error instanceof ApiError && error.code === 'tests_not_run' ? 'not-run' : 'error';
      this.testsMessage = errorText(error);
    }
  }

  private async run(sha: string): Promise<void> {
    this.testsState = 'running';
    app.update();
    try {
      this.tests = await call<TestRun>('POST', `${this.base}/tests/run`, { version: sha });
      this.testsState = 'ready';
    } catch (error) {
      this.testsState = 'error';
      this.testsMessage = errorText(error);
    }
    app.update();
  }

  /** Asks for `label` to move to `version` (after a protected label refused a direct move). */
  async request(label: string, version: string, note: string): Promise<void> {
    await this.act(() => call('POST', `${this.base}/labels/${encodeURIComponent(label)}/requests`, { version, note }), `Requested ${label} → ${short(version)}`);
  }

  private async act(step: () => Promise<unknown>, done: string): Promise<void> {
    try {
      await step();
      this.message = done;
      await this.load(undefined);
    } catch (error) {
      this.message = errorText(error);
    }
    app.update();
  }

  view(sha: string | undefined) {
    const caller = app.session.caller;
    const path = (r: PromotionRequest, verb: string) => `${this.base}/labels/${encodeURIComponent(r.label)}/requests/${encodeURIComponent(r.rid)}/${verb}`;
    return html`<section aria-labelledby="tests-h" class="card">
        <h2 id="tests-h">Tests${sha ? html` of <code>${short(sha)}</code>` : nothing}</h2>
        <div data-tests=${this.testsState}>
          ${this.testsState === 'not-run' ? html`<p class="muted">Not run on this version yet.</p>` : nothing}
          ${this.testsState === 'error' ? html`<p class="error" role="alert">${this.testsMessage}</p>` : nothing}
          ${this.tests && this.testsState === 'ready'
            ? html`<p><strong>${this.tests.result.passed} passed, ${this.tests.result.failed} failed</strong> <span class="muted">— run by ${this.tests.actor}, ${this.tests.at.slice(0, 16).replace('T', ' ')}</span></p>
                <ul class="tests">${this.tests.result.tests.map((t) => html`<li class=${t.pass ? 'ok' : 'error'} data-pass=${String(t.pass)}>${t.pass ? '✓' : '✗'} ${t.name}${t.error ? html` — ${t.error}` : nothing}</li>`)}</ul>`
            : nothing}
          ${sha && may(caller, 'write') ? html`<button type="button" ?disabled=${this.testsState === 'running'} @click=${() => this.run(sha)}>Run tests</button>` : nothing}
        </div>
      </section>
      <section aria-labelledby="requests-h" class="card">
        <h2 id="requests-h">Promotion requests</h2>
        ${this.requests.length === 0 ? html`<p class="muted">None. A protected label is moved through a request: promoting it offers one.</p>` : nothing}
        <ul class="requests">
          ${this.requests.map(
            (r) => html`<li data-rid=${r.rid} data-status=${r.status}>
              <strong>${r.label}</strong> → <code>${short(r.sha)}</code> (${r.version}) · ${r.status} · asked by ${r.requested.by}${r.requested.note ? html`: “${r.requested.note}”` : nothing}
              · ${r.approvals.length} approval${r.approvals.length === 1 ? '' : 's'}${r.approvals.length ? html` (${r.approvals.map((a) => a.by).join(', ')})` : nothing}
              ${r.status === 'open' && may(caller, 'approve')
                ? html`${r.requested.by === caller?.name ? nothing : html`<button type="button" @click=${() => this.act(() => call('POST', path(r, 'approve'), {}), `Approved ${r.rid}`)}>Approve</button>`}
                    <button type="button" @click=${() => this.act(() => call('POST', path(r, 'reject'), {}), `Rejected ${r.rid}`)}>Reject</button>`
                : nothing}
              ${r.status === 'open' && may(caller, 'write') ? html`<button type="button" @click=${() => this.act(() => call('POST', path(r, 'apply')), `Applied ${r.rid}: ${r.label} moved`)}>Apply</button>` : nothing}
            </li>`,
          )}
        </ul>
        ${this.message ? html`<p role="status" data-request-message>${this.message}</p>` : nothing}
      </section>`;
  }
}
