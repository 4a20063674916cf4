import type { HttpAuth } from '../../adapters/http.js';
import type { DistFile } from '../model/files.js';
import type { CoreMetadata } from '../python/metadata.js';

/** One configured index. The first one given to IndexClient is the primary, the rest are extras. */
export interface IndexConfig {
  /** Simple API base URL, e.g. https://pypi.org/simple/ (user:password@ in it is accepted). */
  url: string;
  /** Credentials for this index's host; never logged. */
  auth?: HttpAuth;
}

/** A file link as a page lists it, before filtering: URL absolute, fragment removed. */
export interface PageFile {
  filename: string;
  url: string;
  /** Hash name -> lowercase hex, from the JSON `hashes` or the HTML `#sha256=` fragment. */
  hashes: Record<string, string>;
  requiresPython?: string;
  yanked: false | string;
  metadata: false | { sha256?: string };
  size?: number;
}

export interface ParsedPage {
  /** Project name as the page states it (JSON only). */
  name?: string;
  files: PageFile[];
  /** PEP 700 `versions` (JSON only). */
  versions?: string[];
}

export interface Project {
  /** PEP 503 normalized name. */
  name: string;
  /** False when no configured index knows the project (every index answered 404). */
  found: boolean;
  /** Files from every index, primary first; per index grouped by release, in page order within one. */
  files: DistFile[];
  /** Every version seen (PEP 700 `versions` and file names), ascending by PEP 440, normalized. */
  versions: string[];
  /** Which indexes answered, and in which format (PEP 691 JSON or PEP 503 HTML). */
  sources: { index: string; format: 'json' | 'html' }[];
  /** Links that were not distributions of this project, with the reason (what pip skips). */
  skipped: { filename: string; index: string; reason: string }[];
}

export interface CoreMetadataResult {
  /** The core metadata text (METADATA / PKG-INFO / PEP 658 file). */
  text: string;
  /** `text` parsed (src/domain/python/metadata.ts). */
  metadata: CoreMetadata;
  source: 'pep658' | 'wheel' | 'sdist';
  /**
   * True when the dependencies in `text` cannot be trusted without a build: an sdist whose
   * PKG-INFO is older than Metadata 2.2 or marks Requires-Dist as Dynamic.
   */
  dynamic: boolean;
  /** The file the metadata came from. */
  file: DistFile;
}
