import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findStage, parseDockerfile, resolveContainerPath, stageState, type Command, type Stage } from './dockerfile-steps.js';

// Docker cannot run on these machines, so this test performs the Dockerfile's own steps on the
// host: the build stage's project commands in a clean copy of the build context, the runtime
// stage assembled only from its COPY --from lines, then the runtime CMD and HEALTHCHECK.
// What it cannot prove: the apt-get and root-only steps, and the image's Node 24 (the host
// runs Node 20, so native modules are compiled for the host's Node).

const repo = fileURLToPath(new URL('..', import.meta.url));
const stages = parseDockerfile(readFileSync(join(repo, 'Dockerfile'), 'utf8'));
const runtime = stages[stages.length - 1] as Stage;
const runtimeState = stageState(runtime);
const ADMIN = { email: 'admin@example.test', password: 'Docker-check-2026' };

// Everything this file starts or creates, undone in after() even when a test fails or times out.
const children = new Set<ChildProcess>();
const tempDirs: string[] = [];
after(() => {
  for (const child of children) killGroup(child);
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('Dockerfile structure', () => {
  it('builds and runs on a slim Node LTS image (>= 22)', () => {
    for (const stage of stages) {
      const match = /^node:(\d+)(?:\.[\d.]+)?-(?:[a-z]+-)?slim$/.exec(stage.image);
      assert.ok(match, `stage ${stage.name ?? stage.index}: ${stage.image} is not a slim node image`);
      const major = Number(match[1]);
      assert.ok(major >= 22 && major % 2 === 0, `node ${major} is not a current LTS line`);
    }
  });

  it('runs as a non-root user that owns the /data volume', () => {
    const user = runtimeState.user ?? 'root';
    const uid = user.split(':')[0] ?? '';
    assert.ok(!['root', '0', ''].includes(uid), `runtime USER is ${user}`);
    assert.ok(runtimeState.volumes.includes('/data'), 'VOLUME /data');
    assert.equal(runtimeState.env.DATA_DIR, '/data');
    const volumeAt = runtime.steps.findIndex((s) => s.kind === 'volume');
    const chown = new RegExp(`(^|[;&|\\s])chown\\s+(-R\\s+)?${uid}(:\\S+)?\\s+/data(\\s|$)`);
    const ownsData = runtime.steps.slice(0, volumeAt).some((s) => s.kind === 'run' && chown.test(commandText(s.command)));
    assert.ok(ownsData, `/data is chowned to ${uid} before VOLUME (or a fresh volume would be root-owned)`);
  });

  it('exposes 8443, declares a HEALTHCHECK and starts node in exec form', () => {
    assert.ok(runtimeState.exposed.some((p) => p === '8443' || p === '8443/tcp'), 'EXPOSE 8443');
    assert.ok(runtimeState.exposed.some((p) => p === '8200' || p === '8200/tcp'), 'EXPOSE 8200 (relay port for agents)');
    assert.equal(runtimeState.env.PORT, '8443');
    assert.ok(runtimeState.healthcheck?.command, 'HEALTHCHECK CMD ...');
    // Exec form keeps node as PID 1, so SIGTERM from `docker stop` reaches main.ts.
    assert.deepEqual(runtimeState.cmd, { form: 'exec', argv: ['node', 'dist/core/main.js'] });
  });

  it('copies only package.json, node_modules and dist into the runtime stage', () => {
    const copies = runtime.steps.filter((s) => s.kind === 'copy');
    assert.ok(copies.every((c) => c.from !== null), 'runtime stage copies only from the build stage');
    assert.deepEqual(copies.map((c) => basename(c.dest)).sort(), ['dist', 'node_modules', 'package.json']);
  });
});

describe('Dockerfile steps, performed without Docker', () => {
  it('builds, assembles the runtime files, starts healthy and stops cleanly on SIGTERM', { timeout: 600_000 }, async () => {
    const context = makeTemp('rb-docker-context-');
    copyBuildContext(context);
    const roots = new Map<number, string>();
    for (const stage of stages) roots.set(stage.index, await replayStage(stage, context, roots));

    const appDir = join(roots.get(runtime.index) ?? '', runtimeState.workdir);
    assert.deepEqual(readdirSync(appDir).sort(), ['dist', 'node_modules', 'package.json']);
    assert.ok(!existsSync(join(appDir, 'node_modules', 'typescript')), 'dev dependencies were pruned');

    const env = runtimeEnv(await freePort(), makeTemp('rb-docker-data-'));
    const server = start(runtimeState.cmd, appDir, env);
    const health = await waitForHealthz(server, Number(env.PORT));
    assert.equal(health.status, 'ok');
    assert.equal(await runHealthcheck(appDir, env), 0, 'HEALTHCHECK command exits 0 while the server runs');
    // The image build made the single-file support programs, and the container hands them out signed.
    const downloads = await getHealthz(Number(env.PORT), '/api/v1/downloads', 120_000); // the first listing binds and signs all three
    assert.equal(downloads.statusCode, 200, downloads.body);
    const programs = (JSON.parse(downloads.body) as { programs: { target: string; sha256: string }[] }).programs;
    assert.deepEqual(programs.map((p) => p.target), ['linux-x64', 'linux-arm64', 'win-x64']);
    assert.ok(programs.every((p) => /^[0-9a-f]{64}$/.test(p.sha256)));

    const started = Date.now();
    server.process.kill('SIGTERM');
    const exit = await waitForExit(server.process, 10_000);
    assert.deepEqual(exit, { code: 0, signal: null }, `exit after SIGTERM:\n${server.output()}`);
    assert.ok(Date.now() - started < 10_000);
    assert.notEqual(await runHealthcheck(appDir, env), 0, 'HEALTHCHECK fails once the server is gone');
  });
});

/** The build context: git-tracked plus untracked-not-ignored files, minus .dockerignore. */
function copyBuildContext(context: string): void {
  const listed = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: repo, encoding: 'utf8' });
  const ignored = dockerIgnore(readFileSync(join(repo, '.dockerignore'), 'utf8'));
  for (const file of listed.split('\0').filter(Boolean)) {
    if (ignored(file) || !existsSync(join(repo, file))) continue; // deleted but still tracked
    mkdirSync(dirname(join(context, file)), { recursive: true });
    cpSync(join(repo, file), join(context, file), { verbatimSymlinks: true });
  }
}

/** A matcher for .dockerignore patterns (`*`, `**`, `?`, `!` exceptions; a directory covers its files). */
function dockerIgnore(text: string): (path: string) => boolean {
  const rules = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((line) => {
    const negate = line.startsWith('!');
    const pattern = line.replace(/^!/, '').replace(/^\/+|\/+$/g, '');
    const source = pattern.replace(/\*\*\/|\*\*|\*|\?|[.+^${}()|[\]\\]/g, (token) =>
      token === '**/' ? '(.*/)?' : token === '**' ? '.*' : token === '*' ? '[^/]*' : token === '?' ? '[^/]' : `\\${token}`);
    return { negate, regex: new RegExp(`^${source}(/.*)?$`) };
  });
  return (path) => rules.reduce((excluded, rule) => (rule.regex.test(path) ? !rule.negate : excluded), false);
}

/** Performs one stage into its own root directory (container paths live under it). */
async function replayStage(stage: Stage, context: string, roots: Map<number, string>): Promise<string> {
  const root = makeTemp(`rb-docker-stage${stage.index}-`);
  let workdir = '/';
  const env: Record<string, string> = {};
  for (const step of stage.steps) {
    if (step.kind === 'workdir') {
      workdir = resolveContainerPath(workdir, step.path);
      mkdirSync(join(root, workdir), { recursive: true });
    } else if (step.kind === 'env') {
      Object.assign(env, step.vars);
    } else if (step.kind === 'copy') {
      const fromRoot = step.from === null ? context : roots.get(findStage(stages, step.from).index);
      assert.ok(fromRoot, `line ${step.line}: COPY --from=${step.from} names a later stage`);
      // Sources are relative to the context root or the other stage's root, never to WORKDIR.
      copyInto(fromRoot, step.sources.map((s) => resolveContainerPath('/', s)), join(root, resolveContainerPath(workdir, step.dest)), step.dest);
    } else if (step.kind === 'run') {
      const script = commandText(step.command);
      const reason = skipReason(script);
      if (reason === null) await runStep(script, join(root, workdir), env, step.line);
    } else if (step.kind === 'other') {
      assert.ok(['LABEL', 'ARG', 'STOPSIGNAL'].includes(step.instruction), `line ${step.line}: the test cannot perform ${step.instruction}`);
    }
  }
  return root;
}

/**
 * Why a RUN step is not performed here, or null to perform it. apt-get needs root and a Debian
 * image (the host has python3/make/g++ already, as .ci/run makes sure); mkdir/chown of system
 * paths needs root, and DATA_DIR points at a temp dir instead. Anything else unknown fails the
 * test, so a new Dockerfile step cannot slip past it untested.
 */
function skipReason(script: string): string | null {
  const commands = script.split(/&&|;|\n/).map((c) => c.trim()).filter(Boolean);
  if (/^apt-get\s/.test(commands[0] ?? '')) return 'apt-get needs root and a Debian image';
  if (commands.every((c) => /^(mkdir|chown|chmod)\s+(-\S+\s+)*(\S+\s+)?\/\S+$/.test(c))) return 'system paths need root';
  if (/^npm\s/.test(commands[0] ?? '')) return null;
  throw new Error(`the test does not know how to perform RUN ${script}`);
}

function copyInto(fromRoot: string, sources: string[], dest: string, rawDest: string): void {
  const intoDir = rawDest.endsWith('/') || rawDest === '.' || sources.length > 1;
  for (const source of sources) {
    const from = join(fromRoot, source);
    assert.ok(existsSync(from), `COPY source ${source} is missing`);
    const to = statSync(from).isDirectory() || !intoDir ? dest : join(dest, basename(source));
    mkdirSync(dirname(to), { recursive: true });
    cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  }
}

async function runStep(script: string, cwd: string, stageEnv: Record<string, string>, line: number): Promise<void> {
  // A clean env like a container's: drop the npm_* variables of an outer `npm test` (one of them
  // would point npm at this repo instead of the copy); use the machine's cache so no download is needed.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|INIT_CWD$|NODE$)/i.test(k)));
  const env = { ...base, ...stageEnv, npm_config_cache: npmCache(), npm_config_prefer_offline: 'true' };
  const child = spawn('/bin/sh', ['-c', script], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collect(child);
  const exit = await waitForExit(child, 540_000);
  assert.deepEqual(exit, { code: 0, signal: null }, `line ${line}: RUN ${script} failed:\n${output().slice(-6000)}`);
}

let cachedNpmCache: string | undefined;
function npmCache(): string {
  cachedNpmCache ??= execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  return cachedNpmCache;
}

/** The runtime container's environment: the Dockerfile's ENV plus what a loopback test needs. */
function runtimeEnv(port: number, dataDir: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...runtimeState.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    MASTER_KEY_FILE: `${dataDir}.master.key`, // the image's /keys volume, beside the temp data dir
    HOST: '127.0.0.1', // loopback only; the image listens on 0.0.0.0
    RELAY_PORT: '0', // no second listener that could clash with the machine's ports
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  };
}

/** Starts a Dockerfile command; `node` is this very Node binary. */
function start(command: Command | null, cwd: string, env: Record<string, string>): { process: ChildProcess; output: () => string } {
  assert.ok(command, 'a command to run');
  const [file, ...args] = command.form === 'exec' ? command.argv : ['/bin/sh', '-c', command.script];
  const child = spawn(file === 'node' ? process.execPath : file ?? '', args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  return { process: child, output: collect(child) };
}

async function runHealthcheck(cwd: string, env: Record<string, string>): Promise<number | null> {
  const check = start(runtimeState.healthcheck?.command ?? null, cwd, env);
  return (await waitForExit(check.process, 10_000)).code;
}

async function waitForHealthz(server: { process: ChildProcess; output: () => string }, port: number): Promise<{ status?: string }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.process.exitCode !== null || server.process.signalCode !== null) assert.fail(`server exited early:\n${server.output()}`);
    const reply = await getHealthz(port).catch(() => null);
    if (reply?.statusCode === 200) return JSON.parse(reply.body) as { status?: string };
    if (Date.now() > deadline) assert.fail(`no healthy /healthz within 30 s:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function getHealthz(port: number, path = '/healthz', timeout = 2000): Promise<{ statusCode: number; body: string }> {
  return new Promise((resolve, reject) => {
    // The appliance's certificate is self-signed on first start; this is loopback only.
    const req = request({ host: '127.0.0.1', port, path, rejectUnauthorized: false, timeout }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ statusCode: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout'))).on('error', reject).end();
  });
}

function waitForExit(child: ChildProcess, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      killGroup(child);
      resolve({ code: null, signal: 'SIGKILL' });
    }, ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/** Registers a child for cleanup and keeps its stdout+stderr for failure messages. */
function collect(child: ChildProcess): () => string {
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  const append = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-200_000));
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => output;
}

/** Kills a detached child and everything it started (npm → node-gyp → make → g++). */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

function makeTemp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

function commandText(command: Command): string {
  return command.form === 'exec' ? command.argv.join(' ') : command.script;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
