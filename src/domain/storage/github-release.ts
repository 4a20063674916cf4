import { writeFileAtomic } from '../../adapters/fs.js';
import { httpStatus, type RefineryOctokit } from '../../adapters/github.js';
import { RefineryError } from '../../errors.js';
import type { StorageRef } from '../state/schema.js';
import { readWheelMetadata } from '../package-index/dist-contents.js';
import { parseCoreMetadata } from '../python/metadata.js';
import { checkWheelData, confined, readVerified, sha256Hex, type StoredWheel, type WheelStore } from './store.js';

export interface GitHubReleaseStoreOptions {
  octokit: RefineryOctokit;
  owner: string;
  repo: string;
  /** Release tag that holds the wheels, created when missing (e.g. `wheels`). */
  tag: string;
}

interface Asset {
  id: number;
  name: string;
  size: number;
  browser_download_url: string;
  digest?: string | null;
}

/**
 * Wheels as assets of one GitHub Release. An asset with the wheel's name and sha256 digest is
 * reused; a different wheel under the same name is stored as `<sha16>-<filename>` instead of
 * replacing the published one.
 */
export class GitHubReleaseStore implements WheelStore {
  readonly kind = 'github-release' as const;
  private release: Promise<{ id: number; upload_url: string }> | undefined;

  constructor(private readonly o: GitHubReleaseStoreOptions) {}

  async put(file: string, wheel: StoredWheel): Promise<StorageRef> {
    const data = await readVerified(file, wheel);
    const release = await this.ensureRelease();
    const assets = await this.assets(release.id);
    const digest = `sha256:${wheel.sha256}`;
    for (const name of [wheel.filename, `${wheel.sha256.slice(0, 16)}-${wheel.filename}`]) {
      const have = assets.find((a) => a.name === name);
      if (have) {
        // Older GitHub servers report no digest: same name and size is taken as the same wheel.
        if (have.digest ? have.digest === digest : have.size === wheel.size) return this.withMetadata(release, assets, have, file, wheel.filename);
        continue;
      }
      const uploaded = await this.uploadOnce(release, name, data);
      if (!uploaded) continue;
      return this.withMetadata(release, assets, uploaded, file, wheel.filename);
    }
    throw new RefineryError('conflict', `release ${this.o.tag} already holds two different files named like ${wheel.filename}`, {
      fix: 'delete the stale assets from the release',
    });
  }

  /**
   * The wheel's METADATA as the asset `<asset name>.metadata` beside it (PEP 658: pip fetches
   * `<wheel URL>.metadata` before, or instead of, the wheel), its sha256 recorded in the reference
   * for the index. Read from the wheel here because record is the only job that has both the
   * wheel and a token that can write to the release. A wheel whose METADATA cannot be read, or a
   * different file already under that name, gets none: pip then reads the wheel itself.
   */
  private async withMetadata(
    release: { id: number; upload_url: string },
    assets: Asset[],
    wheelAsset: Asset,
    file: string,
    filename: string,
  ): Promise<StorageRef> {
    const base = ref(wheelAsset);
    let data: Buffer;
    let requiresPython: string | undefined;
    try {
      const text = await readWheelMetadata(file, filename);
      requiresPython = parseCoreMetadata(text, `${filename}/METADATA`).requiresPython;
      data = Buffer.from(text, 'utf8');
    } catch {
      return base;
    }
    const sha256 = sha256Hex(data);
    const name = `${wheelAsset.name}.metadata`;
    const same = (a: Asset) => (a.digest ? a.digest === `sha256:${sha256}` : a.size === data.length);
    const have = assets.find((a) => a.name === name) ?? (await this.uploadOnce(release, name, data));
    if (!have || !same(have)) return base;
    return { ...base, metadata: { sha256, ...(requiresPython && requiresPython.length <= 200 ? { requiresPython } : {}) } };
  }

  /** Upload, or when another job uploaded that name in the meantime, theirs if it has these bytes (undefined if not). */
  private async uploadOnce(release: { id: number; upload_url: string }, name: string, data: Buffer): Promise<Asset | undefined> {
    const digest = `sha256:${sha256Hex(data)}`;
    return this.upload(release, name, data).catch(async (e) => {
      if (httpStatus(e) !== 422) throw e;
      const again = (await this.assets(release.id)).find((a) => a.name === name);
      if (again && (again.digest ? again.digest === digest : again.size === data.length)) return again;
      return undefined;
    });
  }

  async get(r: StorageRef, wheel: StoredWheel, destDir: string): Promise<string> {
    if (r.kind !== 'github-release' || r.assetId === undefined) {
      throw new RefineryError('state', `not a GitHub release asset reference: ${JSON.stringify(r)}`, { fix: 'use the store the wheel was recorded with' });
    }
    const res = await this.o.octokit.rest.repos.getReleaseAsset({
      owner: this.o.owner,
      repo: this.o.repo,
      asset_id: r.assetId,
      headers: { accept: 'application/octet-stream' },
    });
    const data = Buffer.from(res.data as unknown as ArrayBuffer);
    checkWheelData(data, wheel, r.location ?? `asset ${r.assetId}`);
    const dest = confined(destDir, wheel.filename, wheel.filename);
    await writeFileAtomic(dest, data);
    return dest;
  }

  private ensureRelease(): Promise<{ id: number; upload_url: string }> {
    this.release ??= (async () => {
      const { octokit, owner, repo, tag } = this.o;
      try {
        return (await octokit.rest.repos.getReleaseByTag({ owner, repo, tag })).data;
      } catch (e) {
        if (httpStatus(e) !== 404) throw e;
      }
      try {
        return (await octokit.rest.repos.createRelease({ owner, repo, tag_name: tag, name: tag, body: 'Wheels built for s390x by refinery.' })).data;
      } catch (e) {
        if (httpStatus(e) !== 422) throw e;
        return (await octokit.rest.repos.getReleaseByTag({ owner, repo, tag })).data;
      }
    })();
    return this.release;
  }

  private async assets(releaseId: number): Promise<Asset[]> {
    const { octokit, owner, repo } = this.o;
    return (await octokit.paginate(octokit.rest.repos.listReleaseAssets, { owner, repo, release_id: releaseId, per_page: 100 })) as Asset[];
  }

  private async upload(release: { id: number; upload_url: string }, name: string, data: Buffer): Promise<Asset> {
    const { octokit, owner, repo } = this.o;
    const res = await octokit.rest.repos.uploadReleaseAsset({
      owner,
      repo,
      release_id: release.id,
      name,
      data: data as unknown as string,
      // upload_url is `<uploads root>/repos/o/r/releases/<id>/assets{?name,label}` (GHES: `<host>/api/uploads/...`).
      baseUrl: release.upload_url.replace(/\/repos\/.*$/, ''),
      headers: { 'content-type': 'application/octet-stream', 'content-length': data.length },
    });
    return res.data as Asset;
  }
}

function ref(a: Asset): StorageRef {
  return { kind: 'github-release', location: a.browser_download_url, assetId: a.id };
}
