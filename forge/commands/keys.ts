import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROLES, generateKey, hashKey, isRole } from '../auth';
import { DEFAULT_FILE, loadConfig } from '../config';
import { addKeyToFile, removeKeyFromFile } from '../keysFile';
import { validateRepoName } from '../store';
import { arity, str, UsageError, type Command, type Values } from './command';

const ACTIONS = 'keys add NAME --role ROLE, keys list, keys remove NAME';

export const keysCommand: Command = {
  name: 'keys',
  summary: 'manage API keys (keys add NAME --role read|write|admin, keys list, keys remove NAME)',
  usage: 'promptforge keys add NAME --role read|write|admin | keys list | keys remove NAME  [--config FILE]',
  help: `add     creates an API key, prints it once on stdout and stores only its SHA-256 in the
        config file (created if missing). NAME becomes the author of the commits and
        promotions made with the key. Roles: read < write < admin.
list    prints each key's name and role (never a key or its hash).
remove  deletes the key NAME from the config file (revokes it).
Restart the forge to apply a change.

  --role ROLE               read, write or admin (add only)
  --config FILE             config file (default: $PROMPTFORGE_CONFIG, else ./${DEFAULT_FILE})`,
  options: { role: { type: 'string' }, config: { type: 'string' } },
  async run(values, positionals) {
    const action = positionals[0];
    if (action === 'add') return add(values, arity(positionals, ['add', 'NAME'])[1]);
    if (action === 'list') return list(values, arity(positionals, ['list']));
    if (action === 'remove') return remove(values, arity(positionals, ['remove', 'NAME'])[1]);
    throw new UsageError(action === undefined ? `missing action; use ${ACTIONS}` : `unknown keys action "${action}"; use ${ACTIONS}`);
  },
};

function configFile(values: Values): string {
  return resolve(str(values, 'config') ?? process.env.PROMPTFORGE_CONFIG ?? DEFAULT_FILE);
}

function add(values: Values, name: string): number {
  try {
    validateRepoName(name);
  } catch {
    throw new UsageError(`key name "${name}" must use letters, digits, ".", "_" and "-"`);
  }
  const role = str(values, 'role');
  if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}${role ? ` (got "${role}")` : ''}`);
  const file = configFile(values);
  const key = generateKey();
  addKeyToFile(file, { name, role, hash: hashKey(key) });
  process.stdout.write(key + '\n');
  process.stderr.write(`added ${role} key "${name}" to ${file}; this is the only time the key is shown\n`);
  return 0;
}

/** Read through the config loader, so a broken file is reported as `serve` would report it. */
function list(values: Values, _: string[]): number {
  if (values.role !== undefined) throw new UsageError('--role is for keys add');
  const file = configFile(values);
  if (!existsSync(file)) throw new Error(`${file}: config file not found`);
  const { keys } = loadConfig({ file, env: {} });
  const width = Math.max(4, ...keys.map((k) => k.name.length));
  for (const key of keys) process.stdout.write(`${key.name.padEnd(width)}  ${key.role}\n`);
  if (keys.length === 0) process.stderr.write(`${file} has no keys: the forge trusts every caller and listens on loopback only\n`);
  return 0;
}

function remove(values: Values, name: string): number {
  if (values.role !== undefined) throw new UsageError('--role is for keys add');
  const file = configFile(values);
  removeKeyFromFile(file, name);
  process.stderr.write(`removed key "${name}" from ${file}; restart the forge to apply\n`);
  return 0;
}
