/**
 * The SQLite layout of the usage store. Raw events are kept for samples and export;
 * metrics and series read `rollups`, per-version totals by hour and by day kept up to
 * date in the same transaction as each insert, so a query touches a few rows per
 * version and day however many events there are.
 */
import type { Database } from 'better-sqlite3';

const VERSION = 1;

const DDL = `
CREATE TABLE IF NOT EXISTS events (
  seq           INTEGER PRIMARY KEY,
  repo          TEXT    NOT NULL,
  prompt_id     TEXT    NOT NULL,
  sha           TEXT    NOT NULL,
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
  output        TEXT
);
CREATE INDEX IF NOT EXISTS events_by_version ON events (repo, prompt_id, sha, at);
CREATE INDEX IF NOT EXISTS events_by_prompt  ON events (repo, prompt_id, at);
-- Only consented events carry samples; this keeps "recent samples" a short index walk.
CREATE INDEX IF NOT EXISTS events_samples    ON events (repo, prompt_id, at) WHERE consent = 1;

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

export function migrate(db: Database): void {
  // WAL lets metrics queries read while a batch is being written; NORMAL sync is
  // durable across process crashes, which is what usage data needs.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > VERSION) {
    throw new Error(`usage database was written by a newer Prompt Forge (schema ${current}, this one knows ${VERSION})`);
  }
  db.exec(DDL);
  db.pragma(`user_version = ${VERSION}`);
}
