import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ClusterClient } from 'flink-client';
import { createSimulatorTarget, type FlinkSimulator, SIMULATOR_FLINK_VERSIONS, type SimulatorFlinkVersion } from 'flink-client/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializedAccumulator, serializedThrowable } from '../../src/testing/java.js';
import { eventually, realClusters } from './support.js';

// Flink's own Java clients against the simulator and against the shared real cluster, outcome by
// outcome: the provisioned home's bin/flink (run -m, list, savepoint, stop, cancel, an attached run
// of a failing job) and Flink's RestClusterClient in a small Java program compiled against the
// home's lib/. Ids and savepoint paths differ between the targets; everything else must match.

interface Exec {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a JVM command; the deadline only guards against a hang. */
function exec(cmd: string, args: readonly string[], env: Record<string, string>, timeoutMs = 120_000): Promise<Exec> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

// UTF-8 on stdout whatever the locale (JDK 17 reads sun.stdout.encoding).
const JAVA_OPTS = ['-Dlog4j2.level=OFF', '-Dsun.stdout.encoding=UTF-8'];
const javaSource = fileURLToPath(new URL('./java/RestClusterClientCheck.java', import.meta.url));

async function compile(flinkHome: string, out: string, source: string): Promise<void> {
  const r = await exec('javac', ['-nowarn', '-cp', `${flinkHome}/lib/*`, '-d', out, source], {});
  if (r.code !== 0) throw new Error(`javac failed:\n${r.stderr}${r.stdout}`);
}

/** Lines without the stack frames (`\tat …`, `\t... n more`), trimmed. */
const withoutFrames = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '' && !/^\s+at /.test(l) && !/^\s+\.\.\. \d+ more$/.test(l));

const JOB_ID = /JobID ([0-9a-f]{32})/;

/** What one target showed; ids and savepoint paths replaced by placeholders. */
interface Outcome {
  steps: Array<{ step: string; code: number | null; lines: string[] }>;
  savepoints: string[];
  states: Record<string, string>;
}

async function scenario(target: { url: string; flinkHome: string; classes: string; savepointDir: string; logDir: string; fixtures: { streaming: string; failing: string } }): Promise<Outcome> {
  const { hostname, port } = new URL(target.url);
  const m = ['-m', `${hostname}:${port}`];
  const env = { FLINK_LOG_DIR: target.logDir };
  const flink = (...args: string[]): Promise<Exec> => exec(`${target.flinkHome}/bin/flink`, args, env);
  const client = new ClusterClient({ url: target.url });
  const ids = new Map<string, string>();
  const outcome: Outcome = { steps: [], savepoints: [], states: {} };
  const normalise = (text: string): string[] =>
    withoutFrames(text).map((line) => {
      let l = line.replace(/\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}/g, '<time>');
      for (const [id, name] of ids) l = l.replaceAll(id, `<${name}>`);
      return l.replace(/file:\/\S*savepoint-[0-9a-f]{6}-[0-9a-f]{12}/g, '<savepoint>');
    });
  // bin/flink prints results on stdout and a program's exception on stderr.
  const record = (step: string, r: Exec, keep: (line: string) => boolean = () => true): Exec => {
    for (const sp of `${r.stdout}`.matchAll(/file:\/\S*savepoint-[0-9a-f]{6}-[0-9a-f]{12}/g)) outcome.savepoints.push(sp[0]);
    outcome.steps.push({ step, code: r.code, lines: [...normalise(r.stdout), ...normalise(r.stderr).map((l) => `stderr: ${l}`)].filter(keep) });
    return r;
  };
  /** `flink run`: the job id it printed names the job in every later step. */
  const submit = async (step: string, name: string, args: string[], keep?: (line: string) => boolean): Promise<string> => {
    const r = await flink('run', ...args);
    const id = JOB_ID.exec(r.stdout)?.[1];
    if (!id) throw new Error(`no job id in the output of flink run:\n${r.stdout}\n${r.stderr}`);
    ids.set(id, name);
    record(step, r, keep);
    return id;
  };
  const running = (id: string) => eventually(() => client.job(id).status(), (s) => s === 'RUNNING', 60_000, `job ${ids.get(id)} RUNNING`);
  try {
    const a = await submit('run -d', 'a', ['-d', ...m, target.fixtures.streaming]);
    await running(a);
    // The cluster is shared with other suites: keep only this scenario's job and the list's own lines.
    record('list', await flink('list', ...m), (l) => l.includes('<a>') || /^-+ Running\/Restarting Jobs -+$/.test(l));
    record('savepoint', await flink('savepoint', ...m, a, target.savepointDir));
    record('stop', await flink('stop', ...m, '-p', target.savepointDir, a));

    const b = await submit('run -d (b)', 'b', ['-d', ...m, target.fixtures.streaming]);
    await running(b);
    // Attached: bin/flink waits for the job result and prints its failure cause chain.
    const c = await submit('run (failing, attached)', 'c', [...m, target.fixtures.failing], (l) => /^(stderr: )?(Caused by:|org\.apache|Job has been submitted)/.test(l));

    const java = await exec('java', [...JAVA_OPTS, '-cp', `${target.classes}:${target.flinkHome}/lib/*`, 'RestClusterClientCheck', hostname, port, b, c, target.savepointDir], {});
    record('RestClusterClient', java);
    record('cancel', await flink('cancel', ...m, b));

    for (const [id, name] of ids) outcome.states[name] = await eventually(() => client.job(id).status(), (s) => ['FINISHED', 'CANCELED', 'FAILED'].includes(s), 60_000, `job ${name} terminal`);
    return outcome;
  } finally {
    await client.close();
  }
}

describe.each(realClusters())("Flink's own clients against real Flink $version and the simulator", (flink) => {
  const dir = mkdtempSync(join(tmpdir(), 'flink-clients-'));
  const classes = join(dir, 'classes');
  let simulator: FlinkSimulator;
  let simUrl: string;
  beforeAll(async () => {
    if (!(SIMULATOR_FLINK_VERSIONS as readonly string[]).includes(flink.version)) throw new Error(`the simulator has no profile for Flink ${flink.version}`);
    const target = await createSimulatorTarget({ flinkVersion: flink.version as SimulatorFlinkVersion, timing: 'realistic', taskManagers: 1, slotsPerTaskManager: 8 });
    simulator = target.simulator;
    simUrl = target.url;
    await compile(flink.flinkHome, classes, javaSource);
    // Reads a base64 file of Java serialization the simulator wrote and prints what it holds.
    const src = join(dir, 'ReadThrowable.java');
    writeFileSync(
      src,
      [
        'import java.io.*;',
        'import java.util.Base64;',
        'import org.apache.flink.util.SerializedThrowable;',
        'public final class ReadThrowable {',
        '  public static void main(String[] args) throws Exception {',
        '    byte[] bytes = Base64.getDecoder().decode(new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(args[0]))).trim());',
        '    Object o = new ObjectInputStream(new ByteArrayInputStream(bytes)).readObject();',
        '    if (o instanceof org.apache.flink.util.OptionalFailure) {',
        '      Object v = ((org.apache.flink.util.OptionalFailure<?>) o).getUnchecked();',
        '      System.out.println(v.getClass().getName() + "|" + v);',
        '      return;',
        '    }',
        '    for (Throwable t = (Throwable) o; t != null; t = t.getCause()) {',
        '      SerializedThrowable s = (SerializedThrowable) t;',
        '      Throwable original = s.deserializeError(ReadThrowable.class.getClassLoader());',
        '      System.out.println(s.getOriginalErrorClassName() + "|" + s.getMessage() + "|" + t.getStackTrace().length + "|" + original.getClass().getName() + "|" + original.getMessage());',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    );
    await compile(flink.flinkHome, classes, src);
  });
  afterAll(async () => {
    await simulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the simulator\'s serialized-throwable back as a SerializedThrowable with the class, message and causes', async () => {
    const cases = [
      { className: 'org.apache.flink.runtime.JobException', message: 'Recovery is suppressed by NoRestartBackoffTimeStrategy', cause: { className: 'java.lang.IllegalStateException', message: 'bad input: ü € 😀 "quoted"' } },
      // A user class the client cannot load: deserializeError() returns the SerializedThrowable itself.
      { className: 'com.example.pipeline.ValidationException', message: 'x'.repeat(70_000), cause: { className: 'java.io.IOException' } },
    ];
    for (const [i, t] of cases.entries()) {
      const file = join(dir, `throwable-${i}.b64`);
      writeFileSync(file, serializedThrowable(t)['serialized-throwable']);
      const r = await exec('java', [...JAVA_OPTS, '-cp', `${classes}:${flink.flinkHome}/lib/*`, 'ReadThrowable', file], {});
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trim().split('\n').map((l) => l.split('|'));
      expect(lines).toHaveLength(2);
      const [outer, inner] = lines as [string[], string[]];
      expect(outer[0]).toBe(t.className);
      // Flink's SerializedThrowable message is "<class>: <message>" (its toString repeats the class).
      expect(outer[1]).toBe(`${t.className}: ${t.message}`);
      expect(Number(outer[2])).toBeGreaterThan(0);
      expect(inner[0]).toBe(t.cause.className);
      if (i === 0) {
        expect(outer.slice(3)).toEqual([t.className, t.message]);
        expect(inner.slice(3)).toEqual([t.cause.className, t.cause.message]);
      } else {
        expect(outer[3]).toBe('org.apache.flink.util.SerializedThrowable');
        expect(inner[1]).toBe('java.io.IOException');
        expect(inner.slice(3)).toEqual(['java.io.IOException', 'null']);
      }
    }
  });

  it("reads the simulator's accumulator values back as Flink's OptionalFailure of Integer, Long, Double or String", async () => {
    const cases: Array<[string, string, string]> = [
      ['IntCounter', '1000', 'java.lang.Integer|1000'],
      ['LongCounter', '500500', 'java.lang.Long|500500'],
      ['DoubleCounter', '2.5', 'java.lang.Double|2.5'],
      ['Histogram', '{1=2} é 😀', 'java.lang.String|{1=2} é 😀'],
    ];
    for (const [i, [type, value, expected]] of cases.entries()) {
      const file = join(dir, `accumulator-${i}.b64`);
      writeFileSync(file, serializedAccumulator(type, value));
      const r = await exec('java', [...JAVA_OPTS, '-cp', `${classes}:${flink.flinkHome}/lib/*`, 'ReadThrowable', file], {});
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe(expected);
    }
  });

  it('bin/flink (run -m, list, savepoint, stop, cancel, an attached failing run) and RestClusterClient behave the same', async () => {
    const fixtures = { streaming: flink.jars.streaming, failing: flink.jars.failing };
    const run = (name: string, url: string): Promise<Outcome> => {
      const savepointDir = pathToFileURL(mkdtempSync(join(dir, `${name}-savepoints-`))).href;
      return scenario({ url, flinkHome: flink.flinkHome, classes, savepointDir, logDir: mkdtempSync(join(dir, `${name}-log-`)), fixtures });
    };
    const [real, sim] = await Promise.all([run('real', flink.url), run('sim', simUrl)]);

    expect(sim.steps).toEqual(real.steps);
    expect(sim.states).toEqual({ a: 'FINISHED', b: 'CANCELED', c: 'FAILED' });
    expect(real.states).toEqual(sim.states);
    // savepoint, stop, and RestClusterClient's savepoint each printed a location.
    expect(real.savepoints).toHaveLength(3);
    expect(sim.savepoints).toHaveLength(3);
    const failed = sim.steps.find((s) => s.step === 'run (failing, attached)');
    expect(failed?.code).toBe(1);
    expect(failed?.lines).toContain('stderr: Caused by: java.lang.IllegalStateException: flink-client fixture failure');
    expect(failed?.lines.join('\n')).not.toContain('Caused by: null');
    // The submitted graph is kept as bytes (never deserialized) with the jar sent along.
    const stored = simulator.jobs.list({ name: 'flink-client-fixture-failing' })[0]?.jobGraph;
    expect(stored?.bytes.subarray(0, 4)).toEqual(new Uint8Array([0xac, 0xed, 0x00, 0x05]));
    expect(stored?.jars.map((j) => j.name)).toEqual(['failing.jar']);
  }, 400_000);
});
