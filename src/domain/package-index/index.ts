/** Package index client: PEP 691/503 project pages, PEP 658 metadata, verified downloads. */
export { IndexClient, SIMPLE_ACCEPT, type IndexClientOptions } from './client.js';
export { DEFAULT_BUILD_REQUIRES, readSdistBuildRequires, readSdistPkgInfo, readWheelMetadata } from './dist-contents.js';
export { parseHtmlPage } from './parse-html.js';
export { parseJsonPage } from './parse-json.js';
export { distVersion } from './project-files.js';
export type { CoreMetadataResult, IndexConfig, PageFile, ParsedPage, Project } from './types.js';
export type { HttpAuth, HttpStats } from '../../adapters/http.js';
