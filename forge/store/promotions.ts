/**
 * Promotion history: every label move, kept on the ref `refs/promptforge/history` as a
 * chain of commits whose tree holds one JSON-lines file per label,
 * `labels/ID/LABEL.jsonl`, one line per move (oldest first). The new history commit
 * and the label move go through one `update-ref` transaction, so neither can exist
 * without the other; the ref travels with `git push/fetch 'refs/promptforge/*'`.
 */
import { StoreError } from './errors';
import { HISTORY_REF, ZERO_SHA, labelRef } from './git/refs';
import type { ObjectReader } from './git/catFile';
import { commitTree, hashObject, updateRefs, writeTree } from './git/plumbing';
import type { PromotionRecord } from './types';

export function historyPath(id: string, label: string): string {
  return `labels/${id}/${label}.jsonl`;
}

/** Moves, oldest first, as stored. Lines that do not parse are skipped, not fatal. */
export async function readPromotions(reader: ObjectReader, historyTip: string | null, id: string, label: string): Promise<PromotionRecord[]> {
  if (!historyTip) return [];
  const blob = await reader.blob(`${historyTip}:${historyPath(id, label)}`);
  if (!blob) return [];
  const records: PromotionRecord[] = [];
  for (const line of blob.toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as PromotionRecord);
    } catch {
      // a hand-edited line: the rest of the history still counts
    }
  }
  return records;
}

/**
 * Moves `refs/labels/ID/LABEL` from `from` (null: must not exist) to `record.to` (null:
 * delete it) and
 * appends the record to the history in one transaction. False when either ref moved
 * meanwhile; the caller decides whether that was the label (409) or only the history.
 */
export async function moveLabelWithHistory(
  gitDir: string,
  reader: ObjectReader,
  historyTip: string | null,
  record: PromotionRecord,
): Promise<boolean> {
  const previous = await readPromotions(reader, historyTip, record.id, record.label);
  const lines = [...previous, record].map((r) => JSON.stringify(r)).join('\n') + '\n';
  const blob = await hashObject(gitDir, lines);
  const tree = await writeTree(gitDir, historyTip, [{ path: historyPath(record.id, record.label), blob }]);
  const message = `${record.id}/${record.label}: ${record.from ?? '(new)'} -> ${record.to ?? '(deleted)'}`;
  const at = new Date(record.at);
  const commit = await commitTree(gitDir, tree, historyTip ? [historyTip] : [], message, record.actor, at);
  return updateRefs(
    gitDir,
    [
      { ref: labelRef(record.id, record.label), to: record.to, from: record.from ?? ZERO_SHA },
      { ref: HISTORY_REF, to: commit, from: historyTip ?? ZERO_SHA },
    ],
    'promptforge: promote',
  );
}

export function labelConflict(id: string, label: string, expected: string | null | undefined, current: string | null): StoreError {
  const wanted = expected ? `at ${expected}` : 'to not exist';
  return new StoreError('label_conflict', `label "${label}" of "${id}" was expected ${wanted} but is ${current ? `at ${current}` : 'not set'}`, {
    id,
    label,
    expected: expected ?? null,
    current,
  });
}
