/**
 * What the store takes from core/: version resolution and the prompt file model.
 */
export interface PromptCommit {
  sha: string;
  author: string;
  email?: string;
  date: string;
  message: string;
}

export interface PromptFile {
  type?: 'text' | 'chat';
  description?: string;
  params?: Record<string, unknown>;
  tags?: string[];
  status?: 'draft' | 'active' | 'deprecated';
  body?: string;
  [key: string]: unknown;
}
