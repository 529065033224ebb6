/** Experiments (DESIGN §7): sticky assignment, definitions, results and guardrails. Pure. */
export * from './assign';
export * from './definition';
export * from './stats';
export * from './results';
