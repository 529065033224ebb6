/**
 * Chat prompts: a body line that is exactly `system:`, `user:` or `assistant:` starts
 * a message with that role. Role lines are replaced by markers *before* rendering and
 * the output is split on them *after*, so sections can repeat whole turns (few-shot
 * examples) while a param value can never forge a role line: the marker character is
 * removed from every inserted value and from the template text itself.
 */
export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** U+0000 never belongs in a prompt, so it is free to mark role boundaries. */
const MARK = '\u0000';
const ROLE_LINE = /^[ \t]*(system|user|assistant):[ \t]*(?=\r?\n|$)/gm;
const MARKED = /\u0000(system|user|assistant)\u0000/;

/** The template with role lines turned into markers (render this, then `splitMessages`). */
export function markRoles(body: string): string {
  return stripMarks(body).replace(ROLE_LINE, (_line, role: string) => `${MARK}${role}${MARK}`);
}

/** Inserted values pass through here so they cannot open a message of their own. */
export function stripMarks(text: string): string {
  return text.includes(MARK) ? text.replaceAll(MARK, '\uFFFD') : text;
}

/**
 * Splits rendered, marked text into messages. Text before the first role line is a
 * `system` message when it is not blank. Each message is trimmed of blank lines at
 * both ends and of trailing whitespace.
 */
export function splitMessages(rendered: string): ChatMessage[] {
  const parts = rendered.split(MARKED);
  const messages: ChatMessage[] = [];
  const lead = tidy(parts[0]);
  if (lead) messages.push({ role: 'system', content: lead });
  for (let i = 1; i < parts.length; i += 2) messages.push({ role: parts[i] as ChatRole, content: tidy(parts[i + 1]) });
  return messages;
}

function tidy(content: string): string {
  return content.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
}
