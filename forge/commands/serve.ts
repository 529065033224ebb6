import { ConfigError, loadConfig } from '../config';
import { startForge } from '../http/server';
import { arity, list, str, UsageError, type Command } from './command';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the forge HTTP API',
  usage: 'promptforge serve [--repo NAME=PATH]… [--push NAME=REMOTE]… [--follow NAME=URL]… [--host HOST] [--port PORT] [--config FILE]',
  help: `Serves the repos named in forge.yaml and on the command line. Prints one line with the
URL when ready; stops cleanly on SIGINT/SIGTERM. Port 0 picks a free port.

  --repo NAME=PATH          a repo to serve (repeatable); PATH alone uses the folder name
  --host HOST               listen address (default 127.0.0.1; others need API keys)
  --port PORT               listen port (default 7070)
  --config FILE             config file (default: $PROMPTFORGE_CONFIG, else ./forge.yaml if present)
  --usage-db FILE           SQLite file for usage events (default: promptforge/usage.db in the
                            first repo's git directory; :memory: keeps none)
  --usage-url URL           keep usage in Postgres (postgres://…), shared by several forges
  --body-limit SIZE         largest request body, e.g. 1mb (default)

More than one machine (see docs/storage.md):
  --push NAME=REMOTE        primary: push every write of repo NAME to REMOTE (a remote name
                            or URL), atomically, retried until it lands (state in /healthz)
  --notify URL              primary: call this replica's fetch hook after each push (repeatable)
  --follow NAME=URL         replica: serve a read-only mirror of URL as repo NAME (repeatable);
                            writes answer 421 read_only_replica naming --primary
  --data DIR                replica: where mirrors are kept (default ./promptforge-data)
  --primary URL             replica: the primary forge's URL, named in 421 answers
  --fetch-every DURATION    replica: fetch this often besides POST /api/v1/hooks/fetch (default 10s)`,
  options: {
    repo: { type: 'string', multiple: true },
    host: { type: 'string' },
    port: { type: 'string' },
    config: { type: 'string' },
    'usage-db': { type: 'string' },
    'usage-url': { type: 'string' },
    'body-limit': { type: 'string' },
    push: { type: 'string', multiple: true },
    notify: { type: 'string', multiple: true },
    follow: { type: 'string', multiple: true },
    data: { type: 'string' },
    primary: { type: 'string' },
    'fetch-every': { type: 'string' },
  },
  async run(values, positionals) {
    arity(positionals, []);
    let config;
    try {
      config = loadConfig({
        file: str(values, 'config'),
        overrides: {
          host: str(values, 'host'),
          port: str(values, 'port'),
          repos: list(values, 'repo'),
          usageDb: str(values, 'usage-db'),
          usageUrl: str(values, 'usage-url'),
          bodyLimit: str(values, 'body-limit'),
          push: list(values, 'push'),
          notify: list(values, 'notify'),
          follow: list(values, 'follow'),
          data: str(values, 'data'),
          primary: str(values, 'primary'),
          fetchEvery: str(values, 'fetch-every'),
        },
      });
    } catch (error) {
      throw error instanceof ConfigError && error.flag ? new UsageError(error.message) : error;
    }
    const forge = await startForge(config);
    const names = [...config.repos.keys()].join(', ');
    process.stdout.write(`promptforge: serving ${names} at ${forge.url}${config.keys.length === 0 ? ' (no API keys: loopback only)' : ''}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await forge.close();
    process.stdout.write('promptforge: stopped\n');
    return 0;
  },
};
