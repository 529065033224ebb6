/** Roles of API keys, least to most; `approve` may approve promotion requests. Kept apart from policy.ts so a browser bundle needs no YAML parser. */
export const ROLES = ['read', 'write', 'approve', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function roleAllows(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}
