import { resolve } from 'node:path';
import { ROLES, generateKey, hashKey, isRole } from '../auth';
import { addKeyToFile, DEFAULT_FILE } from '../config';
import { validateRepoName } from '../store';
import { arity, str, UsageError, type Command } from './command';

export const keysCommand: Command = {
  name: 'keys',
  summary: 'manage API keys (keys add NAME --role read|write|admin)',
  usage: 'promptforge keys add NAME --role read|write|admin [--config FILE]',
  help: `Creates an API key, prints it once on stdout and stores only its SHA-256 in the config
file (created if missing). NAME becomes the author of the commits and promotions made with
the key. Roles: read < write < admin. Restart the forge to load new keys.

  --role ROLE               read, write or admin (required)
  --config FILE             config file (default: $PROMPTFORGE_CONFIG, else ./${DEFAULT_FILE})`,
  options: { role: { type: 'string' }, config: { type: 'string' } },
  async run(values, positionals) {
    const [action, name] = arity(positionals, ['add', 'NAME']);
    if (action !== 'add') throw new UsageError(`unknown keys action "${action}"; use "keys add NAME --role ROLE"`);
    try {
      validateRepoName(name);
    } catch {
      throw new UsageError(`key name "${name}" must use letters, digits, ".", "_" and "-"`);
    }
    const role = str(values, 'role');
    if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}${role ? ` (got "${role}")` : ''}`);
    const file = resolve(str(values, 'config') ?? process.env.PROMPTFORGE_CONFIG ?? DEFAULT_FILE);
    const key = generateKey();
    addKeyToFile(file, { name, role, hash: hashKey(key) });
    process.stdout.write(key + '\n');
    process.stderr.write(`added ${role} key "${name}" to ${file}; this is the only time the key is shown\n`);
    return 0;
  },
};
