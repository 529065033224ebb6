/**
 * `promptforge keys add|remove` edit the `keys:` list of the config file in place: the
 * YAML document is edited, not regenerated, so comments and layout survive, and the new
 * file replaces the old in one rename (mode 0600: it holds key hashes).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import YAML, { isMap, isSeq, type Document, type YAMLSeq } from 'yaml';
import type { KeyEntry } from './auth';
import { ConfigError } from './config';

/** Appends a key to the config file (created if missing). */
export function addKeyToFile(file: string, entry: KeyEntry): void {
  const doc = readDoc(file, true);
  let keys = doc.get('keys', true);
  if (keys === undefined || keys === null) {
    keys = doc.createNode([]);
    doc.set('keys', keys);
  }
  if (!isSeq(keys)) throw new ConfigError(`${file}: keys must be a list`);
  if (keyIndex(keys, entry.name) >= 0) throw new ConfigError(`${file}: a key named "${entry.name}" already exists`);
  keys.items.push(doc.createNode({ name: entry.name, role: entry.role, hash: entry.hash }));
  save(file, doc);
}

/** Removes the key called `name`; an unknown name is an error that lists the keys there are. */
export function removeKeyFromFile(file: string, name: string): void {
  if (!existsSync(file)) throw new ConfigError(`${file}: config file not found`);
  const doc = readDoc(file, false);
  const keys = doc.get('keys', true);
  const index = isSeq(keys) ? keyIndex(keys, name) : -1;
  if (index < 0) {
    const names = isSeq(keys) ? keys.items.flatMap((item) => (isMap(item) ? [String(item.get('name'))] : [])) : [];
    throw new ConfigError(`${file}: no key named "${name}"; ${names.length > 0 ? `keys: ${names.join(', ')}` : 'the file has no keys'}`);
  }
  (keys as YAMLSeq).items.splice(index, 1);
  save(file, doc);
}

function readDoc(file: string, create: boolean): Document {
  const text = create && !existsSync(file) ? '' : readFileSync(file, 'utf8');
  const doc: Document = YAML.parseDocument(text);
  if (doc.errors.length > 0) throw new ConfigError(`${file}: not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  if (doc.contents === null) doc.contents = doc.createNode({}) as never;
  if (!isMap(doc.contents)) throw new ConfigError(`${file}: must be a mapping of settings`);
  return doc;
}

function keyIndex(keys: YAMLSeq, name: string): number {
  return keys.items.findIndex((item) => isMap(item) && item.get('name') === name);
}

function save(file: string, doc: Document): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, String(doc), { mode: 0o600 });
  renameSync(tmp, file);
}
