// A small Dockerfile reader for scripts/dockerfile.test.ts: enough of the syntax to replay the
// project's own Dockerfile without Docker (stages, WORKDIR, COPY, RUN, ENV, USER, CMD,
// HEALTHCHECK, EXPOSE, VOLUME). Anything else is kept as `other` so the test can refuse it.

/** A command in exec form (JSON array, no shell) or shell form (run by `/bin/sh -c`). */
export type Command = { form: 'exec'; argv: string[] } | { form: 'shell'; script: string };

/** One instruction of a stage, with its source line for error messages. */
export type Step =
  | { kind: 'workdir'; line: number; path: string }
  | { kind: 'copy'; line: number; from: string | null; chown: string | null; sources: string[]; dest: string }
  | { kind: 'run'; line: number; command: Command }
  | { kind: 'env'; line: number; vars: Record<string, string> }
  | { kind: 'user'; line: number; user: string }
  | { kind: 'cmd'; line: number; command: Command }
  | { kind: 'healthcheck'; line: number; options: Record<string, string>; command: Command | null }
  | { kind: 'expose'; line: number; ports: string[] }
  | { kind: 'volume'; line: number; paths: string[] }
  | { kind: 'other'; line: number; instruction: string; args: string };

/** A FROM block: its base image, optional `AS` name, and its steps in order. */
export interface Stage {
  index: number;
  name: string | null;
  image: string;
  steps: Step[];
}

/** What a stage leaves behind once all its steps ran: the state a container starts from. */
export interface StageState {
  workdir: string;
  env: Record<string, string>;
  user: string | null;
  cmd: Command | null;
  healthcheck: Extract<Step, { kind: 'healthcheck' }> | null;
  exposed: string[];
  volumes: string[];
}

/** Splits a Dockerfile into stages. Throws on syntax it does not understand. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const { line, instruction, args } of logicalLines(text)) {
    if (instruction === 'FROM') {
      const match = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!match?.[1]) throw new Error(`line ${line}: cannot read FROM ${args}`);
      stages.push({ index: stages.length, image: match[1], name: match[2] ?? null, steps: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) {
      if (instruction === 'ARG') continue; // ARG before the first FROM only feeds FROM lines
      throw new Error(`line ${line}: ${instruction} before the first FROM`);
    }
    stage.steps.push(parseStep(line, instruction, args));
  }
  if (stages.length === 0) throw new Error('no FROM instruction');
  return stages;
}

/** Finds a stage by its `AS` name or its index (as `COPY --from=` refers to it). */
export function findStage(stages: Stage[], ref: string): Stage {
  const stage = stages.find((s) => s.name === ref) ?? (/^\d+$/.test(ref) ? stages[Number(ref)] : undefined);
  if (!stage) throw new Error(`no stage named ${ref}`);
  return stage;
}

/** Replays a stage's WORKDIR/ENV/USER/CMD/HEALTHCHECK/EXPOSE/VOLUME steps (not RUN or COPY). */
export function stageState(stage: Stage): StageState {
  const state: StageState = { workdir: '/', env: {}, user: null, cmd: null, healthcheck: null, exposed: [], volumes: [] };
  for (const step of stage.steps) {
    if (step.kind === 'workdir') state.workdir = resolveContainerPath(state.workdir, step.path);
    else if (step.kind === 'env') Object.assign(state.env, step.vars);
    else if (step.kind === 'user') state.user = step.user;
    else if (step.kind === 'cmd') state.cmd = step.command;
    else if (step.kind === 'healthcheck') state.healthcheck = step;
    else if (step.kind === 'expose') state.exposed.push(...step.ports);
    else if (step.kind === 'volume') state.volumes.push(...step.paths);
  }
  return state;
}

/** An absolute container path: `path` taken relative to `workdir` unless it is absolute. */
export function resolveContainerPath(workdir: string, path: string): string {
  const parts: string[] = [];
  for (const part of (path.startsWith('/') ? path : `${workdir}/${path}`).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** Lines with `\` continuations joined and comments dropped, split into instruction and args. */
function* logicalLines(text: string): Generator<{ line: number; instruction: string; args: string }> {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let current = lines[i] ?? '';
    if (/^\s*(#|$)/.test(current)) continue;
    while (/\\\s*$/.test(current) && i + 1 < lines.length) {
      i++;
      const next = lines[i] ?? '';
      if (/^\s*#/.test(next)) continue; // comment lines inside a continuation are dropped
      current = current.replace(/\\\s*$/, ' ') + next;
    }
    const match = /^\s*(\S+)\s*([\s\S]*?)\s*$/.exec(current);
    if (match?.[1]) yield { line: start, instruction: match[1].toUpperCase(), args: match[2] ?? '' };
  }
}

function parseStep(line: number, instruction: string, args: string): Step {
  switch (instruction) {
    case 'WORKDIR': return { kind: 'workdir', line, path: args };
    case 'COPY': return parseCopy(line, args);
    case 'RUN': return { kind: 'run', line, command: parseCommand(args) };
    case 'ENV': return { kind: 'env', line, vars: parseEnv(line, args) };
    case 'USER': return { kind: 'user', line, user: args };
    case 'CMD': return { kind: 'cmd', line, command: parseCommand(args) };
    case 'HEALTHCHECK': return parseHealthcheck(line, args);
    case 'EXPOSE': return { kind: 'expose', line, ports: args.split(/\s+/).filter(Boolean) };
    case 'VOLUME': return { kind: 'volume', line, paths: args.startsWith('[') ? jsonStrings(line, args) : args.split(/\s+/).filter(Boolean) };
    default: return { kind: 'other', line, instruction, args };
  }
}

function parseCopy(line: number, args: string): Step {
  const options: Record<string, string> = {};
  let rest = args;
  for (let m = /^--([a-z-]+)=(\S+)\s+/.exec(rest); m; m = /^--([a-z-]+)=(\S+)\s+/.exec(rest)) {
    options[m[1] ?? ''] = m[2] ?? '';
    rest = rest.slice(m[0].length);
  }
  const unknown = Object.keys(options).filter((k) => k !== 'from' && k !== 'chown');
  if (unknown.length > 0) throw new Error(`line ${line}: COPY option --${unknown.join(', --')} not supported`);
  const paths = rest.startsWith('[') ? jsonStrings(line, rest) : rest.split(/\s+/).filter(Boolean);
  const dest = paths.pop();
  if (!dest || paths.length === 0) throw new Error(`line ${line}: COPY needs a source and a destination`);
  return { kind: 'copy', line, from: options.from ?? null, chown: options.chown ?? null, sources: paths, dest };
}

function parseHealthcheck(line: number, args: string): Step {
  if (/^NONE$/i.test(args)) return { kind: 'healthcheck', line, options: {}, command: null };
  const options: Record<string, string> = {};
  let rest = args;
  for (let m = /^--([a-z-]+)=(\S+)\s+/.exec(rest); m; m = /^--([a-z-]+)=(\S+)\s+/.exec(rest)) {
    options[m[1] ?? ''] = m[2] ?? '';
    rest = rest.slice(m[0].length);
  }
  const cmd = /^CMD\s+([\s\S]+)$/i.exec(rest);
  if (!cmd?.[1]) throw new Error(`line ${line}: HEALTHCHECK needs CMD or NONE`);
  return { kind: 'healthcheck', line, options, command: parseCommand(cmd[1]) };
}

function parseCommand(args: string): Command {
  if (args.startsWith('[')) {
    try {
      const argv: unknown = JSON.parse(args);
      if (Array.isArray(argv) && argv.length > 0 && argv.every((a) => typeof a === 'string')) return { form: 'exec', argv };
    } catch {
      // Docker treats an invalid JSON array as shell form, and so do we
    }
  }
  return { form: 'shell', script: args };
}

/** `ENV a=1 b="two words"` or the legacy `ENV a one value`. */
function parseEnv(line: number, args: string): Record<string, string> {
  const vars: Record<string, string> = {};
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
    const legacy = /^(\S+)\s+([\s\S]*)$/.exec(args);
    if (!legacy?.[1]) throw new Error(`line ${line}: cannot read ENV ${args}`);
    vars[legacy[1]] = legacy[2] ?? '';
    return vars;
  }
  const pair = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)\s*/gy;
  let consumed = 0;
  for (let m = pair.exec(args); m && m[0] !== ''; m = pair.exec(args)) {
    const raw = m[2] ?? '';
    vars[m[1] ?? ''] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw.startsWith("'") ? raw.slice(1, -1) : raw;
    consumed = pair.lastIndex;
  }
  if (consumed !== args.length) throw new Error(`line ${line}: cannot read ENV ${args}`);
  return vars;
}

function jsonStrings(line: number, args: string): string[] {
  const value: unknown = JSON.parse(args);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error(`line ${line}: expected a JSON array of strings`);
  return value;
}
