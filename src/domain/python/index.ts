/** Python packaging core: names, versions, filenames, requirements, markers, tags, metadata. */
export * from './names.js';
export * from './version.js';
export * from './filenames.js';
export * from './specifier.js';
export * from './marker-ast.js';
export * from './environment.js';
export * from './requirement.js';
export { Pep508SyntaxError } from './pep508.js';
export * from './tags.js';
export * from './requirements-file.js';
export * from './metadata.js';
