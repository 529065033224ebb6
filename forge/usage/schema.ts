/**
 * The SQLite layout of the usage store. Raw events are kept for samples and export;
 * metrics and series read `rollups`, per-version totals by hour and by day kept up to
 * date in the same transaction as each insert, so a query touches a few rows per
 * version and day however many events there are.
 */
import type { Database, Statement } from 'better-sqlite3';

const VERSION = 1;

const DDL = `
-- Prompts and versions get small integer ids, so each event row and its index entries
-- hold two integers instead of the repo, id and a 40-hex SHA.
CREATE TABLE IF NOT EXISTS prompts (
  pid       INTEGER PRIMARY KEY,
  repo      TEXT NOT NULL,
  prompt_id TEXT NOT NULL,
  UNIQUE (repo, prompt_id)
);
CREATE TABLE IF NOT EXISTS versions (
  vid INTEGER PRIMARY KEY,
  pid INTEGER NOT NULL REFERENCES prompts,
  sha TEXT    NOT NULL,
  UNIQUE (pid, sha)
);
CREATE TABLE IF NOT EXISTS events (
  seq           INTEGER PRIMARY KEY,
  pid           INTEGER NOT NULL,
  vid           INTEGER NOT NULL,
  release       TEXT,
  labels        TEXT    NOT NULL,   -- JSON array: labels on this version when it was used
  at            INTEGER NOT NULL,   -- epoch milliseconds
  tracking_id   TEXT,
  success       INTEGER,
  latency_ms    REAL,
  input_tokens  INTEGER,
  output_tokens INTEGER,
  model         TEXT,
  feedback      REAL,
  metadata      TEXT,
  consent       INTEGER NOT NULL,
  input         TEXT,
  output        TEXT,
  experiment    TEXT,              -- experiment key and variant, when the call was in one
  variant       TEXT
);
CREATE INDEX IF NOT EXISTS events_by_version ON events (vid, at);
CREATE INDEX IF NOT EXISTS events_by_prompt  ON events (pid, at);
-- Only consented events carry samples; this keeps "recent samples" a short index walk.
CREATE INDEX IF NOT EXISTS events_samples    ON events (pid, at) WHERE consent = 1;
-- Results and guardrails read one experiment's events, grouped by variant.
CREATE INDEX IF NOT EXISTS events_experiment ON events (experiment, variant) WHERE experiment IS NOT NULL;

-- One row per version and hour (grain 1) and per version and UTC day (grain 24): a
-- 30-day metrics query reads ~30 rows per version, a chart by hour ~720.
CREATE TABLE IF NOT EXISTS rollups (
  repo           TEXT    NOT NULL,
  prompt_id      TEXT    NOT NULL,
  grain          INTEGER NOT NULL,  -- hours per row: 1 or 24
  sha            TEXT    NOT NULL,
  start          INTEGER NOT NULL,  -- epoch hours (UTC) of the first hour covered
  calls          INTEGER NOT NULL,
  success_known  INTEGER NOT NULL,
  successes      INTEGER NOT NULL,
  latency_count  INTEGER NOT NULL,
  latency_hist   BLOB,
  input_tokens   INTEGER NOT NULL,
  output_tokens  INTEGER NOT NULL,
  feedback_sum   REAL    NOT NULL,
  feedback_count INTEGER NOT NULL,
  first_at       INTEGER NOT NULL,
  last_at        INTEGER NOT NULL,
  release        TEXT,
  labels         TEXT    NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS rollups_key ON rollups (repo, prompt_id, grain, sha, start);
-- Covers chart queries, which need only the counters.
CREATE INDEX IF NOT EXISTS rollups_series ON rollups (repo, prompt_id, grain, start, sha, calls, success_known, successes);
`;

/** Opens the layout, creating it in a new file. */
export function openLayout(db: Database): void {
  // WAL lets metrics queries read while a batch is being written; NORMAL sync is
  // durable across process crashes, which is what usage data needs.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > VERSION) {
    throw new Error(`usage database was written by a newer Prompt Forge (schema ${current}, this one knows ${VERSION})`);
  }
  db.transaction(() => {
    db.exec(DDL);
    db.pragma(`user_version = ${VERSION}`);
  })();
}

/** Every statement the store runs, prepared once. */
export function prepare(db: Database) {
  const s = (sql: string): Statement => db.prepare(sql);
  const raw = 'SELECT e.*, v.sha FROM events e JOIN versions v USING (vid)';
  return {
    promptIds: s('SELECT pid, repo, prompt_id FROM prompts'),
    versionIds: s('SELECT vid, pid, sha FROM versions'),
    insertPrompt: s('INSERT INTO prompts (repo, prompt_id) VALUES (?, ?)'),
    insertVersion: s('INSERT INTO versions (pid, sha) VALUES (?, ?)'),
    insertEvent: s(`INSERT INTO events (pid, vid, release, labels, at, tracking_id, success, latency_ms,
      input_tokens, output_tokens, model, feedback, metadata, consent, input, output, experiment, variant)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    rollupRow: s('SELECT * FROM rollups WHERE repo = ? AND prompt_id = ? AND grain = ? AND sha = ? AND start = ?'),
    upsertRollup: s(`INSERT OR REPLACE INTO rollups (repo, prompt_id, grain, sha, start, calls, success_known, successes,
      latency_count, latency_hist, input_tokens, output_tokens, feedback_sum, feedback_count, first_at, last_at,
      release, labels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    rollupsOfPrompt: s('SELECT * FROM rollups WHERE repo = ? AND prompt_id = ? AND grain = ? AND start >= ? AND start < ?'),
    rollupsOfVersion: s('SELECT * FROM rollups WHERE repo = ? AND prompt_id = ? AND grain = ? AND sha = ? AND start >= ? AND start < ?'),
    seriesOfPrompt: s(`SELECT sha, start, calls, success_known, successes FROM rollups INDEXED BY rollups_series
      WHERE repo = ? AND prompt_id = ? AND grain = ? AND start >= ? ORDER BY start`),
    seriesOfVersion: s(`SELECT sha, start, calls, success_known, successes FROM rollups INDEXED BY rollups_series
      WHERE repo = ? AND prompt_id = ? AND grain = ? AND start >= ? AND sha = ? ORDER BY start`),
    rawOfPrompt: s(`${raw} WHERE e.pid = ? AND e.at >= ? AND e.at < ?`),
    rawOfVersion: s(`${raw} WHERE e.vid = ? AND e.at >= ? AND e.at < ?`),
    samplesOfPrompt: s(`${raw.replace('events e', 'events e INDEXED BY events_samples')} WHERE e.pid = ? AND e.consent = 1 ORDER BY e.at DESC LIMIT ?`),
    samplesOfVersion: s(`${raw.replace('events e', 'events e INDEXED BY events_samples')} WHERE e.pid = ? AND e.consent = 1 AND e.vid = ? ORDER BY e.at DESC LIMIT ?`),
    exportOfPrompt: s(`${raw} WHERE e.pid = ? AND (e.at, e.seq) > (?, ?) ORDER BY e.at, e.seq LIMIT ?`),
    exportOfVersion: s(`${raw} WHERE e.vid = ? AND (e.at, e.seq) > (?, ?) ORDER BY e.at, e.seq LIMIT ?`),
    deleteEvents: s('DELETE FROM events WHERE pid = ? AND at < ?'),
    deleteRollups: s('DELETE FROM rollups WHERE start < ?'),
  };
}
