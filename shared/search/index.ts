// The search language (issue 16): parse, format, run and complete queries.
export * from './query';
export { parseQuery } from './parser';
export { formatQuery } from './format';
export { compileQuery, textMatcher, type SearchSubject, type SubjectTest } from './evaluate';
export { completeQuery, type Completion, type KnownValues } from './complete';
export { nodeLabels, subjectOf, NO_OWN_LABELS, type NodeLabels } from './subject';
