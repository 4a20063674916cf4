/** Python packaging core: names, versions, filenames, requirements, markers, tags, metadata. */
export * from './names.js';
export * from './version.js';
export * from './filenames.js';
