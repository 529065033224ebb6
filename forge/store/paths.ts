/** Which files in a tree are prompts, and the prompt id a path gives. */

/** A `*.prompt` file outside hidden folders. */
export function isPromptPath(path: string): boolean {
  if (!path.endsWith('.prompt')) return false;
  return !path.split('/').some((part) => part.startsWith('.'));
}

/** The file stem: `prompts/onboarding/welcome.prompt` → `welcome`. */
export function promptIdOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.slice(0, -'.prompt'.length);
}
