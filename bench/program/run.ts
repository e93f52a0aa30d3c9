/**
 * Support-program benchmark, one run (`npm run bench:program`, a few minutes):
 * 1. Size of each single-file program (as built, and as handed out: bound and signed).
 * 2. Cold start to "connected" on loopback: the downloaded linux-x64 program started with the
 *    PIN until it has its session from the broker ("connected") and waits on the relay
 *    ("waiting"), median of 5, against the same agent as one Node.js file run by the machine's
 *    node (the baseline, same run).
 * 3. Idle cost while connected (technician paired, nothing happening, 10 s): CPU as a share of
 *    one core and resident memory, for both.
 * Needs dist/ (npm run build).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { supportTargets } from '../../core/downloads/support-program.js';
import { AgentProcess } from '../../agent/testing/agent-process.js';
import { startAgentTestBed, type AgentTestBed } from '../../agent/testing/appliance.js';
import { customerEnv, downloadProgram } from '../../agent/testing/support-program.js';
import { TestTechnician, until } from '../../agent/testing/technician.js';

const RUNS = 5;
const IDLE_MS = 10_000;
const publicDir = join(import.meta.dirname, '../../dist/public');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** CPU ticks (user + system) of a process, from /proc. */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
const rssBytes = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

type Start = (args: string[]) => AgentProcess;

/** One start: ms to "connected" and to "waiting"; with `idle`, also the idle CPU share and RSS once paired. */
async function once(bed: AgentTestBed, start: Start, idle: boolean): Promise<{ connected: number; waiting: number; cpu?: number; rss?: number }> {
  const session = await bed.createSession();
  const began = performance.now();
  const agent = start(['--pin', session.pin, '--ports', String(bed.relayPort), '--lang', 'en']);
  const tech = new TestTechnician(session.id, session.pin);
  try {
    const connectedAt = await agent.waitFor('connected', () => true, 60_000).then(() => performance.now());
    await agent.waitFor('waiting', () => true, 60_000);
    const waiting = performance.now() - began;
    if (!idle) return { connected: connectedAt - began, waiting };
    const joined = (await (await bed.technician.request('POST', `/api/v1/sessions/${session.id}/join`)).json()) as { ticket: string };
    await tech.connect(`wss://127.0.0.1:${bed.relayPort}/relay`, joined.ticket, bed.cert);
    await agent.waitFor('ready');
    await until(() => tech.sas.length > 0, 'technician ready');
    await sleep(2_000); // settle after the handshake
    const ticks = cpuTicks(agent.pid);
    const from = performance.now();
    await sleep(IDLE_MS);
    const seconds = (performance.now() - from) / 1000;
    return { connected: connectedAt - began, waiting, cpu: (cpuTicks(agent.pid) - ticks) / 100 / seconds, rss: rssBytes(agent.pid) };
  } finally {
    agent.say('end');
    await Promise.race([agent.exited, sleep(5_000)]);
    tech.close();
    agent.kill();
  }
}

async function measure(bed: AgentTestBed, start: Start) {
  const runs = [];
  for (let i = 0; i < RUNS; i += 1) runs.push(await once(bed, start, i === RUNS - 1));
  const last = runs.at(-1)!;
  return { connected: runs.map((r) => r.connected), waiting: runs.map((r) => r.waiting), cpu: last.cpu!, rss: last.rss! };
}

async function main(): Promise<void> {
  const sourceDir = join(publicDir, 'downloads', 'support');
  const bundle = join(publicDir, 'downloads', 'rescuebox-agent.mjs');
  if (!existsSync(join(sourceDir, supportTargets['linux-x64'].source)) || !existsSync(bundle)) throw new Error('Run npm run build first (dist/public/downloads).');
  const work = mkdtempSync(join(tmpdir(), 'rb-bench-program-'));
  const bed = await startAgentTestBed({ publicDir });
  try {
    console.log('Sizes (as built; as handed out, bound and signed):');
    let program = '';
    for (const [target, { source }] of Object.entries(supportTargets)) {
      const file = join(sourceDir, source);
      if (!existsSync(file)) continue;
      const handed = await downloadProgram(bed.url, bed.cert, target, join(work, 'Downloads'));
      console.log(`  ${target}: ${mib(statSync(file).size)}; ${mib(statSync(handed.path).size)} (${handed.fileName})`);
      if (target === 'linux-x64') program = handed.path;
    }
    const env = customerEnv(work);
    const single: Start = (args) => new AgentProcess(args, { executable: program, cwd: work, env });
    const node: Start = (args) => new AgentProcess(['--server', bed.url, '--fingerprint', bed.fingerprint, ...args], { entry: bundle, cwd: work });
    const a = await measure(bed, single);
    const b = await measure(bed, node);
    console.log(`\nCold start, median of ${RUNS} (single-file linux-x64 | Node ${process.version} + rescuebox-agent.mjs | ratio):`);
    console.log(`  to "connected": ${median(a.connected).toFixed(0)} ms | ${median(b.connected).toFixed(0)} ms | ${(median(a.connected) / median(b.connected)).toFixed(2)}×  (runs ${a.connected.map((v) => v.toFixed(0)).join(', ')})`);
    console.log(`  to "waiting":   ${median(a.waiting).toFixed(0)} ms | ${median(b.waiting).toFixed(0)} ms | ${(median(a.waiting) / median(b.waiting)).toFixed(2)}×`);
    console.log(`Idle while connected, ${IDLE_MS / 1000} s:`);
    console.log(`  CPU: ${(a.cpu * 100).toFixed(2)} % of a core | ${(b.cpu * 100).toFixed(2)} %`);
    console.log(`  RSS: ${mib(a.rss)} | ${mib(b.rss)} | ${(a.rss / b.rss).toFixed(2)}×`);
  } finally {
    await bed.close();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
