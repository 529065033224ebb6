/**
 * Sign-in with an API key. The key goes once to the forge in a JSON body and is dropped
 * from the form; the forge answers with an HttpOnly session cookie the page cannot read.
 */
import { html } from 'lit-html';
import { api } from '../api';
import { app, errorText, type Page } from '../app';

export class SignInPage implements Page {
  name = 'signin';
  title = 'Sign in';
  state: Page['state'] = 'ready';
  error = '';

  constructor(private readonly signedIn: () => void) {}

  async load(): Promise<void> {}

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('key') as HTMLInputElement;
    const key = input.value;
    input.value = '';
    try {
      app.session = await api.signIn(key);
      this.signedIn();
    } catch (error) {
      this.error = errorText(error);
      app.update();
    }
  }

  view() {
    return html`<h1>Sign in</h1>
      <p>This forge needs an API key. Your role (read, write, approve, admin) decides what you may do here.</p>
      <form class="card signin" method="post" @submit=${(e: SubmitEvent) => this.submit(e)}>
        <label for="key">API key</label>
        <input id="key" name="key" type="password" autocomplete="off" required spellcheck="false" />
        <button type="submit">Sign in</button>
        ${this.error ? html`<p class="error" role="alert" data-error>${this.error}</p>` : ''}
      </form>`;
  }
}
