/**
 * The Postgres layout of the usage store, shared by every forge that points at it.
 * Same meaning as the SQLite one (raw events for samples and export; per-version rollups
 * by hour and by UTC day for metrics and series), but rollups are merged by additive
 * upserts (`calls = calls + excluded.calls`) rather than rewritten from memory, so any
 * number of forges can write at once; latency histograms are rows of (bin, count) for
 * the same reason. Readers never wait: Postgres readers see the last committed state.
 */
import type pg from 'pg';

export const PG_SCHEMA_VERSION = 1;

const DDL = `
CREATE TABLE IF NOT EXISTS promptforge_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS usage_events (
  seq           BIGSERIAL PRIMARY KEY,
  repo          TEXT    NOT NULL,
  prompt_id     TEXT    NOT NULL,
  sha           TEXT    NOT NULL,
  release       TEXT,
  labels        TEXT    NOT NULL,   -- JSON array: labels on this version when it was used
  at            BIGINT  NOT NULL,   -- epoch milliseconds
  tracking_id   TEXT,
  success       BOOLEAN,
  latency_ms    DOUBLE PRECISION,
  input_tokens  BIGINT,
  output_tokens BIGINT,
  model         TEXT,
  feedback      DOUBLE PRECISION,
  metadata      TEXT,
  consent       BOOLEAN NOT NULL,
  input         TEXT,
  output        TEXT
);
CREATE INDEX IF NOT EXISTS usage_events_by_prompt  ON usage_events (repo, prompt_id, at, seq);
CREATE INDEX IF NOT EXISTS usage_events_by_version ON usage_events (repo, prompt_id, sha, at, seq);
CREATE INDEX IF NOT EXISTS usage_events_samples    ON usage_events (repo, prompt_id, at) WHERE consent;
CREATE TABLE IF NOT EXISTS usage_rollups (
  repo           TEXT    NOT NULL,
  prompt_id      TEXT    NOT NULL,
  grain          INTEGER NOT NULL,  -- hours per row: 1 or 24
  sha            TEXT    NOT NULL,
  start          BIGINT  NOT NULL,  -- epoch hours (UTC) of the first hour covered
  calls          BIGINT  NOT NULL,
  success_known  BIGINT  NOT NULL,
  successes      BIGINT  NOT NULL,
  latency_count  BIGINT  NOT NULL,
  input_tokens   BIGINT  NOT NULL,
  output_tokens  BIGINT  NOT NULL,
  feedback_sum   DOUBLE PRECISION NOT NULL,
  feedback_count BIGINT  NOT NULL,
  first_at       BIGINT  NOT NULL,
  last_at        BIGINT  NOT NULL,
  release        TEXT,
  release_at     BIGINT,            -- when the release above was last seen on this version
  labels         TEXT[]  NOT NULL,
  PRIMARY KEY (repo, prompt_id, grain, sha, start)
);
CREATE INDEX IF NOT EXISTS usage_rollups_series ON usage_rollups (repo, prompt_id, grain, start);
CREATE TABLE IF NOT EXISTS usage_latency (
  repo      TEXT     NOT NULL,
  prompt_id TEXT     NOT NULL,
  grain     INTEGER  NOT NULL,
  sha       TEXT     NOT NULL,
  start     BIGINT   NOT NULL,
  bin       SMALLINT NOT NULL,
  count     BIGINT   NOT NULL,
  PRIMARY KEY (repo, prompt_id, grain, sha, start, bin)
);
`;

/** Creates the tables (idempotent, safe when several forges start at once); refuses a newer layout. */
export async function migratePg(client: pg.PoolClient): Promise<void> {
  await client.query('BEGIN');
  try {
    // One forge at a time creates the layout; the others wait here, then find it made.
    await client.query('SELECT pg_advisory_xact_lock(7070016)');
    await client.query(DDL);
    const { rows } = await client.query<{ value: string }>(`SELECT value FROM promptforge_meta WHERE key = 'usage_schema'`);
    const found = rows[0] ? Number(rows[0].value) : 0;
    if (found > PG_SCHEMA_VERSION) throw new Error(`the usage database was written by a newer Prompt Forge (schema ${found}, this one knows ${PG_SCHEMA_VERSION}); upgrade this forge`);
    if (found < PG_SCHEMA_VERSION) {
      await client.query(`INSERT INTO promptforge_meta (key, value) VALUES ('usage_schema', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [String(PG_SCHEMA_VERSION)]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
