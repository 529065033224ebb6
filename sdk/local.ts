/**
 * Local mode: a host mapped to `{ path }` runs the forge store inside the app, on a git
 * repo folder (one repo, or a folder whose sub-folders are repos). No server, no network;
 * the store follows commits and label moves made with plain git.
 */
import { openRepoFolder, isStoreError, type PromptStore } from '../forge/store';
import type { Backend, ChangeListener, Resolved } from './backend';
import { entryFromStore } from './entry';
import { PromptNotFoundError, typedError } from './errors';
import type { Target } from './reference';

export class LocalBackend implements Backend {
  readonly describe: string;
  private readonly stores: Promise<Map<string, PromptStore>>;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly host: string,
    path: string,
  ) {
    this.describe = `local repo folder ${path}`;
    this.stores = openRepoFolder(path);
    // Opening failures surface on the first resolve; this keeps them from going unhandled meanwhile.
    this.stores.catch(() => {});
  }

  available(): boolean {
    return true;
  }

  downReason(): string {
    return 'local repo folder';
  }

  async resolve(target: Target): Promise<Resolved> {
    const store = (await this.stores).get(target.repo);
    if (!store) throw new PromptNotFoundError(target.uri, `no repo "${target.repo}" in ${this.describe}`, 'repo_not_found');
    try {
      const resolved = await store.resolve(target.id, target.version);
      return { entry: await entryFromStore(this.host, resolved, (partial) => store.resolve(partial, resolved.sha)) };
    } catch (error) {
      throw typed(error, target.uri);
    }
  }

  watch(onChange: ChangeListener, onError: (error: unknown) => void): void {
    this.stores.then(
      (stores) => {
        for (const store of stores.values()) this.unsubscribe.push(store.on('change', (event) => onChange(event.repo, event.id)));
      },
      onError,
    );
  }

  async close(): Promise<void> {
    for (const off of this.unsubscribe) off();
    const stores = await this.stores.catch(() => new Map<string, PromptStore>());
    await Promise.all([...stores.values()].map((store) => store.close()));
  }
}

/** Store errors carry HTTP-like statuses; they map onto the SDK's typed errors as the forge's would. */
function typed(error: unknown, uri: string): unknown {
  if (!isStoreError(error)) return error;
  return typedError(error.code, error.message, uri) ?? error;
}
