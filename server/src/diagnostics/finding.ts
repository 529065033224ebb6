/** What a diagnostic rule reports: a code, a message and document offsets. */
import type { DiagnosticCode } from './codes';

export interface Finding {
  code: DiagnosticCode;
  message: string;
  start: number;
  end: number;
  /** What the matching code action needs (a suggestion, a SHA, params to add). */
  data?: FindingData;
}

export interface FindingData {
  suggestion?: string;
  params?: Array<{ name: string; value: string }>;
  sha?: string;
  release?: string;
  labels?: string[];
}
