/** Warnings about code inside dependencies that is theirs to fix, not ours. */
const DEPENDENCY_WARNINGS = new Set(['CIRCULAR_DEPENDENCY', 'EVAL', 'THIS_IS_UNDEFINED']);

export function quietAboutDependencies(warning, warn) {
  const ids = warning.ids ?? [warning.id ?? ''];
  const inDependencies = ids.every((id) => id.includes('node_modules'));
  if (inDependencies && DEPENDENCY_WARNINGS.has(warning.code)) return;
  warn(warning);
}
