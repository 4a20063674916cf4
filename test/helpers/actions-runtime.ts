/**
 * A local stand-in for the GitHub Actions results service, so the real, unmodified
 * @actions/artifact and @actions/cache clients run in tests:
 * - the Twirp JSON endpoints they call (`/twirp/github.actions.results.api.v1.ArtifactService/*`
 *   and `.../CacheService/*`, cache service v2), written from the toolkit's sources
 *   (packages/artifact/src/internal/shared/artifact-twirp-client.ts, generated/results/api/v1/
 *   artifact.ts and cache.ts, packages/cache/src/internal/shared/cacheTwirpClient.ts);
 * - Azurite (Microsoft's Azure Storage emulator) as the blob store behind the signed URLs it hands
 *   out: the clients upload with @azure/storage-blob and download with plain GETs, as on GitHub.
 *
 * One stand-in is one repository: caches live across workflow runs, artifacts belong to their run.
 * Each job gets its own runtime token, a JWT whose `scp` claim carries the run's and the job's
 * backend ids (the toolkit decodes it); the service checks the token's HMAC and that a request's
 * backend ids are the token's.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BlobSASPermissions,
  BlobServiceClient,
  type ContainerClient,
  generateBlobSASQueryParameters,
  SASProtocol,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { execa, type ResultPromise } from 'execa';
import { repoRoot } from './pytools.js';

// Azurite's documented development account (the same for every install; not a secret).
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const ARTIFACT_SERVICE = 'github.actions.results.api.v1.ArtifactService';
const CACHE_SERVICE = 'github.actions.results.api.v1.CacheService';

export interface ArtifactRecord {
  id: number;
  runBackendId: string;
  jobBackendId: string;
  name: string;
  blob: string;
  size: number;
  digest?: string;
  createdAt: Date;
  finalized: boolean;
}

export interface CacheRecord {
  id: number;
  key: string;
  version: string;
  blob: string;
  size: number;
  createdAt: Date;
  finalized: boolean;
}

/** A workflow run: its backend id and a numeric id like GITHUB_RUN_ID. */
export interface WorkflowRun {
  backendId: string;
  runId: number;
}

class TwirpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class ActionsRuntime {
  readonly artifacts: ArtifactRecord[] = [];
  readonly caches: CacheRecord[] = [];
  /** Every Twirp call, `Service/Method`, in order (tests check what the clients asked for). */
  readonly calls: string[] = [];
  private nextId = 1;
  private runCounter = 1000;
  private readonly secret = randomUUID();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly azurite: ResultPromise,
    private readonly azuriteDir: string,
    private readonly container: ContainerClient,
    private readonly credential: StorageSharedKeyCredential,
  ) {}

  static async start(): Promise<ActionsRuntime> {
    const azuriteDir = await mkdtemp(join(tmpdir(), 'refinery-azurite-'));
    // Port 0 and in-memory blobs: parallel test files never collide; no telemetry leaves the machine.
    const azurite = execa(
      process.execPath,
      [
        join(repoRoot, 'node_modules/azurite/dist/src/blob/main.js'),
        '--blobHost',
        '127.0.0.1',
        '--blobPort',
        '0',
        '--inMemoryPersistence',
        '--extentMemoryLimit',
        '512',
        '--disableTelemetry',
        '--skipApiVersionCheck',
        '--silent',
      ],
      { cwd: azuriteDir, reject: false, stdin: 'ignore', buffer: false },
    );
    const blobUrl = await new Promise<string>((resolveUrl, reject) => {
      let seen = '';
      const onData = (chunk: Buffer) => {
        seen += chunk.toString();
        const m = /successfully listens on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
        if (m) {
          azurite.stdout?.off('data', onData);
          azurite.stdout?.resume();
          resolveUrl(m[1]!);
        }
      };
      azurite.stdout?.on('data', onData);
      azurite.stderr?.resume();
      azurite.then((r) => reject(new Error(`azurite exited (${r.exitCode}) before listening: ${seen}`)));
      setTimeout(() => reject(new Error(`azurite did not start in 30 s: ${seen}`)), 30_000).unref();
    });
    const credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY);
    const service = new BlobServiceClient(`${blobUrl}/${DEV_ACCOUNT}`, credential);
    const container = service.getContainerClient('actions-results');
    await container.create();

    const holder: { rt?: ActionsRuntime } = {};
    const server = createServer((req, res) => {
      holder.rt!.handle(req, res).catch((e) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 'internal', msg: String((e as Error).message) }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    holder.rt = new ActionsRuntime(server, url, azurite, azuriteDir, container, credential);
    return holder.rt;
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => this.server.close(() => r()));
    this.server.closeAllConnections();
    this.azurite.kill('SIGTERM');
    await this.azurite;
    await rm(this.azuriteDir, { recursive: true, force: true });
  }

  /** A new workflow run (artifacts are per run; caches are shared by all runs of the repository). */
  newRun(): WorkflowRun {
    return { backendId: randomUUID(), runId: ++this.runCounter };
  }

  /** The runtime variables the runner gives a node action of `job` in `run`. */
  jobEnv(run: WorkflowRun, job: string): Record<string, string> {
    const jobBackendId = randomUUID();
    return {
      ACTIONS_RUNTIME_TOKEN: this.token(run.backendId, jobBackendId),
      ACTIONS_RESULTS_URL: this.url,
      ACTIONS_CACHE_SERVICE_V2: 'True',
      GITHUB_RUN_ID: String(run.runId),
      GITHUB_JOB: job,
      GITHUB_SERVER_URL: 'https://github.com',
    };
  }

  /** The run's finalized artifacts. */
  runArtifacts(run: WorkflowRun): ArtifactRecord[] {
    return this.artifacts.filter((a) => a.finalized && a.runBackendId === run.backendId);
  }

  private token(runBackendId: string, jobBackendId: string): string {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const head = enc({ typ: 'JWT', alg: 'HS256' });
    const body = enc({
      scp: `Actions.GenericRead:00000000-0000-0000-0000-000000000000 Actions.Results:${runBackendId}:${jobBackendId}`,
      iat: Math.floor(Date.now() / 1000),
    });
    return `${head}.${body}.${createHmac('sha256', this.secret).update(`${head}.${body}`).digest('base64url')}`;
  }

  /** The backend ids of a valid bearer token, or a Twirp `unauthenticated` error. */
  private authenticate(req: IncomingMessage): { run: string; job: string } {
    const m = /^Bearer (([\w-]+)\.([\w-]+))\.([\w-]+)$/.exec(req.headers.authorization ?? '');
    if (!m) throw new TwirpError(401, 'unauthenticated', 'missing bearer token');
    const expected = createHmac('sha256', this.secret).update(m[1]!).digest();
    const given = Buffer.from(m[4]!, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new TwirpError(401, 'unauthenticated', 'bad token signature');
    const scp = String(JSON.parse(Buffer.from(m[3]!, 'base64url').toString()).scp ?? '');
    const results = scp.split(' ').find((s) => s.startsWith('Actions.Results:'));
    const [, run, job] = results?.split(':') ?? [];
    if (!run || !job) throw new TwirpError(401, 'unauthenticated', 'token has no Actions.Results scope');
    return { run, job };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      const m = /^\/twirp\/([\w.]+)\/(\w+)$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !m) throw new TwirpError(404, 'bad_route', `no route ${req.method} ${req.url}`);
      if (!String(req.headers['content-type']).startsWith('application/json')) throw new TwirpError(415, 'bad_route', 'only the JSON protocol is served');
      const ids = this.authenticate(req);
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        throw new TwirpError(400, 'malformed', 'the body is not JSON');
      }
      this.calls.push(`${m[1]}/${m[2]}`);
      if (m[1] === ARTIFACT_SERVICE) reply(200, await this.artifactCall(m[2]!, body, ids));
      else if (m[1] === CACHE_SERVICE) reply(200, await this.cacheCall(m[2]!, body));
      else throw new TwirpError(404, 'bad_route', `no service ${m[1]}`);
    } catch (e) {
      if (e instanceof TwirpError) reply(e.status, { code: e.code, msg: e.message });
      else throw e;
    }
  }

  // ------------------------------------------------------------------ ArtifactService

  private async artifactCall(method: string, b: Record<string, unknown>, ids: { run: string; job: string }): Promise<unknown> {
    // Requests name their backend ids (proto field names); they must be the token's.
    const run = str(b, 'workflow_run_backend_id');
    if (run !== ids.run) throw new TwirpError(403, 'permission_denied', "workflow_run_backend_id is not the token's run");
    const ofRun = this.artifacts.filter((a) => a.runBackendId === run);
    switch (method) {
      case 'CreateArtifact': {
        if (str(b, 'workflow_job_run_backend_id') !== ids.job) throw new TwirpError(403, 'permission_denied', "not the token's job");
        const name = str(b, 'name');
        if (!name) throw new TwirpError(400, 'invalid_argument', 'name is required');
        if (b.version !== 7) throw new TwirpError(400, 'invalid_argument', `unsupported artifact version ${String(b.version)}`);
        // Names are unique per run (v4 artifacts are immutable).
        if (ofRun.some((a) => a.name === name)) throw new TwirpError(409, 'already_exists', `an artifact named ${name} already exists in this run`);
        const id = this.nextId++;
        const blob = `artifacts/${run}/${id}.zip`;
        this.artifacts.push({ id, runBackendId: run, jobBackendId: ids.job, name, blob, size: 0, createdAt: new Date(), finalized: false });
        return { ok: true, signed_upload_url: this.sign(blob, 'cw') };
      }
      case 'FinalizeArtifact': {
        const a = ofRun.find((x) => x.name === str(b, 'name') && !x.finalized);
        if (!a) throw new TwirpError(404, 'not_found', `no artifact ${str(b, 'name')} waiting to be finalized`);
        const size = Number(b.size);
        const stored = await this.blobSize(a.blob);
        if (stored === undefined) throw new TwirpError(400, 'failed_precondition', 'nothing was uploaded');
        if (stored !== size) throw new TwirpError(400, 'invalid_argument', `size ${size} is not the uploaded ${stored}`);
        Object.assign(a, { finalized: true, size, ...(typeof b.hash === 'string' ? { digest: b.hash } : {}) });
        return { ok: true, artifact_id: String(a.id) };
      }
      case 'ListArtifacts': {
        const name = typeof b.name_filter === 'string' ? b.name_filter : undefined;
        const id = b.id_filter === undefined ? undefined : Number(b.id_filter);
        return {
          artifacts: ofRun
            .filter((a) => a.finalized && (name === undefined || a.name === name) && (id === undefined || a.id === id))
            .map((a) => ({
              workflow_run_backend_id: a.runBackendId,
              workflow_job_run_backend_id: a.jobBackendId,
              database_id: String(a.id),
              name: a.name,
              size: String(a.size),
              created_at: a.createdAt.toISOString(),
              ...(a.digest ? { digest: a.digest } : {}),
            })),
        };
      }
      case 'GetSignedArtifactURL': {
        const a = ofRun.find((x) => x.finalized && x.name === str(b, 'name'));
        if (!a) throw new TwirpError(404, 'not_found', `no artifact ${str(b, 'name')}`);
        return { signed_url: this.sign(a.blob, 'r') };
      }
      case 'DeleteArtifact': {
        const a = ofRun.find((x) => x.finalized && x.name === str(b, 'name'));
        if (!a) throw new TwirpError(404, 'not_found', `no artifact ${str(b, 'name')}`);
        this.artifacts.splice(this.artifacts.indexOf(a), 1);
        await this.container.deleteBlob(a.blob);
        return { ok: true, artifact_id: String(a.id) };
      }
      default:
        throw new TwirpError(404, 'bad_route', `no method ${method}`);
    }
  }

  // ------------------------------------------------------------------ CacheService (v2)

  private async cacheCall(method: string, b: Record<string, unknown>): Promise<unknown> {
    const key = str(b, 'key');
    const version = str(b, 'version');
    if (!key || !version) throw new TwirpError(400, 'invalid_argument', 'key and version are required');
    switch (method) {
      case 'CreateCacheEntry': {
        // An entry is immutable: a second save of a key (finished or under way) is refused, as on GitHub.
        if (this.caches.some((c) => c.key === key && c.version === version)) return { ok: false, message: `cache entry ${key} already exists` };
        const id = this.nextId++;
        const blob = `caches/${id}`;
        this.caches.push({ id, key, version, blob, size: 0, createdAt: new Date(), finalized: false });
        return { ok: true, signed_upload_url: this.sign(blob, 'cw') };
      }
      case 'FinalizeCacheEntryUpload': {
        const c = this.caches.find((x) => x.key === key && x.version === version && !x.finalized);
        if (!c) return { ok: false, message: `no cache entry ${key} waiting to be finalized` };
        const stored = await this.blobSize(c.blob);
        if (stored === undefined || stored !== Number(b.size_bytes))
          return { ok: false, message: `size ${String(b.size_bytes)} is not the uploaded ${stored}` };
        Object.assign(c, { finalized: true, size: stored });
        return { ok: true, entry_id: String(c.id) };
      }
      case 'GetCacheEntryDownloadURL': {
        // The primary key matches exactly; restore keys by prefix, the newest entry first.
        const ready = this.caches.filter((c) => c.finalized && c.version === version).sort((x, y) => y.id - x.id);
        const restoreKeys = Array.isArray(b.restore_keys) ? b.restore_keys.map(String) : [];
        const hit = ready.find((c) => c.key === key) ?? restoreKeys.map((k) => ready.find((c) => c.key.startsWith(k))).find(Boolean);
        if (!hit) return { ok: false };
        return { ok: true, signed_download_url: this.sign(hit.blob, 'r'), matched_key: hit.key };
      }
      default:
        throw new TwirpError(404, 'bad_route', `no method ${method}`);
    }
  }

  // ------------------------------------------------------------------ blobs

  /** A SAS URL for one blob in Azurite, valid for an hour: what the results service hands out. */
  private sign(blob: string, permissions: string): string {
    const sas = generateBlobSASQueryParameters(
      {
        containerName: this.container.containerName,
        blobName: blob,
        permissions: BlobSASPermissions.parse(permissions),
        expiresOn: new Date(Date.now() + 3_600_000),
        protocol: SASProtocol.HttpsAndHttp,
      },
      this.credential,
    );
    return `${this.container.getBlockBlobClient(blob).url}?${sas.toString()}`;
  }

  private async blobSize(blob: string): Promise<number | undefined> {
    try {
      return (await this.container.getBlockBlobClient(blob).getProperties()).contentLength;
    } catch {
      return undefined;
    }
  }
}

function str(b: Record<string, unknown>, field: string): string {
  const v = b[field];
  return typeof v === 'string' ? v : '';
}
