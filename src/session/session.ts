import { join } from 'node:path';
import { type PipelineOptions, type PipelineResult, runPipeline } from '../chain/pipeline.js';
import { runYield, type YieldEntry, type YieldOptions, type YieldReport } from '../chain/yield.js';
import { effectivePreset, httpLimits, type RefineryConfig } from '../domain/config/schema.js';
import { namedEnv } from '../domain/executors/environment.js';
import type { Executor } from '../domain/executors/types.js';
import { type HintCatalog, loadHintCatalog, mergeCatalogs } from '../domain/hints/index.js';
import type { Compiler } from '../domain/model/compiler.js';
import type { Inventory } from '../domain/model/inventory.js';
import type { Plan, PlanUnit } from '../domain/model/plan.js';
import type { Preset } from '../domain/model/preset.js';
import type { BuildResult } from '../domain/model/result.js';
import { IndexClient } from '../domain/package-index/client.js';
import type { IndexConfig } from '../domain/package-index/types.js';
import { getPreset, loadPresets, type PresetMap, withUserPresets } from '../domain/presets/load.js';
import { seedsDir } from '../domain/presets/seeds.js';
import { type BuildInfo, buildInfo } from '../domain/recipes/build-info.js';
import { loadRecipes, type RecipeMap } from '../domain/recipes/load.js';
import { loadState, type State } from '../domain/state/index.js';
import type { PhaseTimeouts } from '../stages/builder/attempt.js';
import type { PublishOptions, PublishOutcome } from '../stages/publish/index.js';
import { type BuildEvent, type BuildOptions, buildUnit, unitFingerprint } from '../stages/builder/unit.js';
import type { Frontend } from '../domain/model/frontend.js';
import { uvSeedsDir } from '../stages/builder/uv-seed.js';
import { planFromState, refuseUnservedPythons } from '../stages/plan/from-state.js';
import { indexesFromConfig, scanFromConfig } from '../stages/scan/from-config.js';
import { locateUv } from '../stages/scan/uv.js';
import { type AdHocSpec, adHocUnit } from './ad-hoc.js';
import { type ConfigFlags, type Env, type ResolvedConfig, resolveConfig } from './config.js';
import { type ExecutorFlags, pickExecutor } from './executor.js';

/** Everything a face may set: the config cascade's flags and the build settings. */
export interface SessionFlags extends ConfigFlags {
  /** False (`--no-install`): a missing uv is an error instead of a download into the cache folder. */
  install?: boolean;
  /** Overrides the config's `compiler`. */
  compiler?: Compiler;
  /** Whole-unit timeout in minutes (default: limits.unitTimeoutMinutes). */
  timeoutMinutes?: number;
  /** Per-phase timeouts in minutes (default: the build stage's DEFAULT_TIMEOUTS). */
  phaseTimeoutMinutes?: Partial<Record<keyof PhaseTimeouts, number>>;
  /** Attempts per unit (default: limits.maxAttempts). */
  maxAttempts?: number;
  /** Hint catalogs added to the shipped one, later ones winning. */
  hintFiles?: string[];
}

export interface OpenSessionInput {
  cwd: string;
  env: Env;
  flags?: SessionFlags;
  /** Said once when something happens on the user's behalf (uv installed into the cache). */
  notice?: (message: string) => void;
  /** Seeds a library user brings instead of the shipped ones (tests, embedders). */
  seeds?: { presets?: PresetMap; catalog?: HintCatalog; recipes?: RecipeMap };
}

/** The build settings every unit of this session runs with, each from one default. */
export interface BuildSettings {
  unitTimeoutMs: number;
  timeouts: Partial<PhaseTimeouts>;
  maxAttempts: number;
}

/** Per-call parts of a build: where it runs and what it reports. The rest comes from the session. */
export type SessionBuildOptions = Pick<
  BuildOptions,
  'executor' | 'outDir' | 'findLinks' | 'sdistFile' | 'signal' | 'onEvent' | 'onOutput' | 'keepWorkDir' | 'frontend' | 'isolation' | 'workRoot' | 'heartbeatMs'
>;

/** What a face sets for a publish; the state, its folder and the hint catalog come from the session. */
export type SessionPublishOptions = Omit<PublishOptions, 'stateDir' | 'catalog'>;

/** A yield run's per-call parts: a pipeline's (less the units it filters and reports) plus the yield's own. */
export type SessionYieldOptions = Omit<SessionPipelineOptions, 'only' | 'onUnit'> & Pick<YieldOptions, 'startBefore' | 'onRow' | 'onUnit'>;

export type SessionPipelineOptions = Omit<
  PipelineOptions,
  'config' | 'baseDir' | 'stateDir' | 'cacheDir' | 'env' | 'uv' | 'presets' | 'catalog' | 'recipes' | 'passEnv' | 'unitTimeoutMs' | 'maxAttempts'
> & {
  /** Only these `name==version` pins are scanned (no dependencies) and built: the worker's due queue entries. */
  only?: readonly string[];
};

/**
 * One invocation's view of the world, resolved once: config (defaults < refinery.yml < flags),
 * folders, build settings, the index client, the seeds (presets, hints, recipes), the state and
 * uv. Every face (CLI command, action) opens one and calls the stages through it.
 */
export class Session {
  readonly cwd: string;
  readonly env: Env;
  readonly config: RefineryConfig;
  readonly configFile: string | undefined;
  readonly baseDir: string;
  readonly stateDir: string;
  readonly cacheDir: string;
  readonly settings: BuildSettings;
  private readonly flags: SessionFlags;
  private readonly notice: (message: string) => void;
  private memo: {
    index?: IndexClient;
    uv?: Promise<string>;
    presets?: Promise<PresetMap>;
    catalog?: Promise<HintCatalog>;
    recipes?: Promise<RecipeMap>;
    state?: Promise<State>;
  } = {};

  constructor(input: OpenSessionInput, resolved: ResolvedConfig) {
    this.cwd = input.cwd;
    this.env = input.env;
    this.flags = input.flags ?? {};
    this.notice = input.notice ?? (() => {});
    if (input.seeds?.presets) this.memo.presets = Promise.resolve(input.seeds.presets);
    if (input.seeds?.catalog) this.memo.catalog = Promise.resolve(input.seeds.catalog);
    if (input.seeds?.recipes) this.memo.recipes = Promise.resolve(input.seeds.recipes);
    this.config = this.flags.compiler ? { ...resolved.config, compiler: this.flags.compiler } : resolved.config;
    this.configFile = resolved.configFile;
    this.baseDir = resolved.baseDir;
    this.stateDir = resolved.stateDir;
    this.cacheDir = resolved.cacheDir;
    const timeouts: Partial<PhaseTimeouts> = {};
    for (const [phase, minutes] of Object.entries(this.flags.phaseTimeoutMinutes ?? {})) {
      if (minutes !== undefined) timeouts[phase as keyof PhaseTimeouts] = minutes * 60_000;
    }
    this.settings = {
      unitTimeoutMs: (this.flags.timeoutMinutes ?? this.config.limits.unitTimeoutMinutes) * 60_000,
      timeouts,
      maxAttempts: this.flags.maxAttempts ?? this.config.limits.maxAttempts,
    };
  }

  /** The preset builds use unless a recipe or the unit says otherwise. */
  get defaultPreset(): string {
    return effectivePreset(this.config);
  }

  /** The configured indexes, credentials read from the variables the config names. */
  get indexes(): IndexConfig[] {
    return indexesFromConfig(this.config, this.env, { extraIndexUrls: [] });
  }

  /** Variables of this machine the config lets builds see (build.passEnv), with values. */
  get passEnv(): Record<string, string> {
    return namedEnv(this.env, this.config.build.passEnv);
  }

  /** The index client for the configured indexes (sdists, build requirements); one per session. */
  index(): IndexClient {
    this.memo.index ??= new IndexClient({
      indexes: this.indexes,
      cacheDir: join(this.cacheDir, 'http'),
      httpOptions: { env: this.env, ...httpLimits(this.config) },
    });
    return this.memo.index;
  }

  /** uv, found or installed once into the cache folder (unless the flags said --no-install). */
  uv(): Promise<string> {
    this.memo.uv ??= locateUv({
      env: this.env,
      cacheDir: this.cacheDir,
      indexes: this.indexes,
      install: this.flags.install !== false,
      httpOptions: { env: this.env },
      notice: this.notice,
    });
    return this.memo.uv;
  }

  presets(): Promise<PresetMap> {
    this.memo.presets ??= loadPresets(join(seedsDir(), 'presets.yml')).then((shipped) =>
      withUserPresets(shipped, this.config.presets, this.configFile ?? 'refinery.yml'),
    );
    return this.memo.presets;
  }

  /** The shipped hint catalog plus the session's hint files (later files override hints with the same id). */
  catalog(): Promise<HintCatalog> {
    this.memo.catalog ??= (async () => {
      const catalogs = [await loadHintCatalog(join(seedsDir(), 'hints.yml'))];
      for (const f of this.flags.hintFiles ?? []) catalogs.push(await loadHintCatalog(f));
      return mergeCatalogs(...catalogs);
    })();
    return this.memo.catalog;
  }

  recipes(): Promise<RecipeMap> {
    this.memo.recipes ??= loadRecipes(join(seedsDir(), 'recipes'));
    return this.memo.recipes;
  }

  /** The state folder, loaded once per session (writers reload under the lock: record, the pipeline). */
  state(): Promise<State> {
    this.memo.state ??= loadState(this.stateDir);
    return this.memo.state;
  }

  /** The one door for per-package settings: the recipe in force for this version, the preset, the starting hints. */
  async buildInfo(name: string, version: string): Promise<BuildInfo> {
    return buildInfo(await this.recipes(), name, version, this.defaultPreset);
  }

  async preset(name: string): Promise<Preset> {
    return getPreset(await this.presets(), name);
  }

  /**
   * The executor the flags ask for, or the one this machine has for the preset, with the reason.
   * `frontend`: the one the builds will use, when a face overrides the config's (`--frontend`).
   */
  async executor(flags: ExecutorFlags, preset?: Preset, frontend?: Frontend): Promise<{ executor: Executor; reason: string }> {
    const p = preset ?? (await this.presets()).get(this.defaultPreset) ?? [...(await this.presets()).values()][0]!;
    return pickExecutor(this.cwd, this.env, flags, p, this.config.compiler, frontend ?? this.config.frontend);
  }

  /**
   * Scan the config's requirements, or with `only` exactly these `name==version` pins and none of
   * their dependencies (the retry queue's due entries: actions/queue, the worker).
   */
  async scan(o: { onProgress?: (done: number, total: number, label: string) => void; only?: readonly string[] } = {}): Promise<Inventory> {
    const { inventory } = await scanFromConfig({
      config: this.configFor(o.only),
      baseDir: this.baseDir,
      stateDir: this.stateDir,
      cacheDir: this.cacheDir,
      uv: () => this.uv(),
      env: this.env,
      state: await this.state(),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
    return inventory;
  }

  /** A config Python no preset has an interpreter for is refused (before a scan that would plan it). */
  async refuseUnservedPythons(): Promise<void> {
    refuseUnservedPythons(await this.presets(), this.config.targets.python);
  }

  async plan(inventory: Inventory, o: { now?: Date } = {}): Promise<Plan> {
    return planFromState(inventory, this.config, {
      stateDir: this.stateDir,
      state: await this.state(),
      recipes: await this.recipes(),
      presets: await this.presets(),
      ...(o.now ? { now: o.now } : {}),
    });
  }

  /** A unit for one release the user names (`refinery build --package`), made by the plan stage. */
  async adHocUnit(spec: AdHocSpec): Promise<{ unit: PlanUnit; sdistFile?: string }> {
    return adHocUnit(this, spec);
  }

  /** Build one unit with the session's seeds, settings, indexes and environment. */
  async build(unit: PlanUnit, o: SessionBuildOptions & { hints?: readonly string[] }): Promise<BuildResult> {
    const preset = await this.preset(unit.preset);
    const { recipe } = buildInfo(await this.recipes(), unit.package, unit.version, unit.preset);
    const index = this.index();
    const { hints, ...rest } = o;
    return buildUnit(hints?.length ? { ...unit, hints: [...unit.hints, ...hints] } : unit, {
      ...rest,
      preset,
      catalog: await this.catalog(),
      ...(recipe ? { recipe } : {}),
      compiler: this.flags.compiler ?? unit.compiler ?? this.config.compiler,
      frontend: rest.frontend ?? this.config.frontend,
      uvSeedsDir: uvSeedsDir(this.cacheDir),
      timeouts: this.settings.timeouts,
      unitTimeoutMs: this.settings.unitTimeoutMs,
      maxAttempts: this.settings.maxAttempts,
      indexes: this.indexes,
      passEnv: this.passEnv,
      http: index.http,
      skipCheck: true,
      ...this.runInfo(),
    });
  }

  /**
   * The inputs fingerprint `build` would start this unit with on `executor` (the recipe in force,
   * the compiler the session picks): what a stored or cached wheel of the same inputs is found by.
   */
  async fingerprint(unit: PlanUnit, executor: Executor, sdistSha256: string): Promise<string> {
    const { recipe } = buildInfo(await this.recipes(), unit.package, unit.version, unit.preset);
    return unitFingerprint(
      unit,
      {
        executor,
        preset: await this.preset(unit.preset),
        ...(recipe ? { recipe } : {}),
        compiler: this.flags.compiler ?? unit.compiler ?? this.config.compiler,
        frontend: this.config.frontend,
      },
      sdistSha256,
    );
  }

  /**
   * The state as a static site (`refinery publish`, actions/publish), with the session's hint
   * catalog; "suggest a fix" links default to the run's repository, branch and server. The publish
   * stage (and its Parquet writer) loads only when a face publishes.
   */
  async publish(outDir: string, o: SessionPublishOptions = {}): Promise<PublishOutcome> {
    const { publishSite } = await import('../stages/publish/index.js');
    const e = this.env;
    const repo = o.suggest?.repo ?? e.GITHUB_REPOSITORY;
    const serverUrl = o.suggest?.serverUrl ?? e.GITHUB_SERVER_URL;
    return publishSite(await this.state(), outDir, {
      ...o,
      stateDir: this.stateDir,
      catalog: await this.catalog(),
      suggest: {
        ...o.suggest,
        ...(repo ? { repo } : {}),
        branch: o.suggest?.branch ?? e.GITHUB_REF_NAME ?? 'main',
        ...(serverUrl ? { serverUrl } : {}),
      },
    });
  }

  /** scan -> plan -> build -> record on this machine, holding the state lock for the run. */
  async pipeline(o: SessionPipelineOptions): Promise<PipelineResult> {
    return runPipeline(await this.pipelineOptions(o));
  }

  /** Pinned releases, each through the whole pipeline on its own with this session's settings (`refinery yield`). */
  async yield(entries: readonly YieldEntry[], o: SessionYieldOptions): Promise<YieldReport> {
    const { startBefore, onRow, onUnit, ...rest } = o;
    // The pipeline's per-unit callback is not the yield's (which also names the entry).
    const { onUnit: _pipelineOnly, ...setup } = await this.pipelineOptions(rest);
    return runYield(entries, {
      ...setup,
      ...(startBefore !== undefined ? { startBefore } : {}),
      ...(onRow ? { onRow } : {}),
      ...(onUnit ? { onUnit } : {}),
    });
  }

  /** The pipeline's options from this session: what `pipeline` runs, and what a yield run repeats per release. */
  async pipelineOptions(o: SessionPipelineOptions): Promise<PipelineOptions> {
    const { only, ...rest } = o;
    const config = this.configFor(only);
    const keys = only ? new Set(only) : undefined;
    return {
      ...rest,
      config,
      baseDir: this.baseDir,
      stateDir: this.stateDir,
      cacheDir: this.cacheDir,
      env: this.env,
      uv: () => this.uv(),
      presets: await this.presets(),
      catalog: await this.catalog(),
      recipes: await this.recipes(),
      passEnv: this.passEnv,
      unitTimeoutMs: this.settings.unitTimeoutMs,
      maxAttempts: this.settings.maxAttempts,
      ...(keys ? { unitFilter: (u: PlanUnit) => keys.has(`${u.package}==${u.version}`) } : {}),
    };
  }

  /** The config, or with `only` one that scans exactly those pins: their dependencies are not the drain's business. */
  private configFor(only: readonly string[] | undefined): RefineryConfig {
    return only ? { ...this.config, requirements: [{ packages: [...only] }], expansion: { ...this.config.expansion, maxDepth: 0 } } : this.config;
  }

  /** Where this build runs, for the result: the Actions run URL and runner name when there is one. */
  runInfo(): { runUrl?: string; runner?: string } {
    const e = this.env;
    return {
      ...(e.GITHUB_RUN_ID && e.GITHUB_SERVER_URL && e.GITHUB_REPOSITORY
        ? { runUrl: `${e.GITHUB_SERVER_URL}/${e.GITHUB_REPOSITORY}/actions/runs/${e.GITHUB_RUN_ID}` }
        : {}),
      ...(e.RUNNER_NAME ? { runner: e.RUNNER_NAME } : {}),
    };
  }
}

/** Open a session: the cascade is resolved here, once; seeds, index, state and uv load on first use. */
export async function openSession(input: OpenSessionInput): Promise<Session> {
  const resolved = await resolveConfig(input.cwd, input.env, input.flags ?? {});
  return new Session(input, resolved);
}

export type { BuildEvent, PhaseTimeouts, PipelineResult, PublishOutcome };
export { FRONTENDS, type Frontend } from '../stages/builder/frontend.js';
export { uvSeedsDir } from '../stages/builder/uv-seed.js';
export type { Withdrawal } from '../stages/publish/index.js';
export { parseYieldList, yieldTable, type YieldEntry, type YieldReport, type YieldRow } from '../chain/yield.js';
export type { UnitOutcome } from '../chain/pipeline.js';
