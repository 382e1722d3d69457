import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/support.js';
import { realClusters } from './support.js';

// A deploy → savepoint → stop run of the CLI on a terminal (tmux) against real Flink 2.3.0: the
// screen is asserted, and the session (the final screen, plus the status lines seen while each
// command waited) is written to a temp dir. docs/cli-session.txt is one such capture, committed;
// to refresh it, run this test with FLINK_CLI_SESSION_OUT=<absolute path>.

const tmux = (...args: string[]): string => execFileSync('tmux', args, { encoding: 'utf8' });

/** Of each run of status lines that differ only in their elapsed time, the first and the last. */
function changes(frames: readonly string[]): string[] {
  const key = (line: string): string => line.replace(/ \d+\.\d s\b/, '').replace(/ \d+% .*$/, '');
  const out: string[] = [];
  frames.forEach((line, i) => {
    const first = i === 0 || key(frames[i - 1] as string) !== key(line);
    const last = i === frames.length - 1 || key(frames[i + 1] as string) !== key(line);
    if (first || last) out.push(line);
  });
  return out;
}
const cluster = realClusters().find((c) => c.version === '2.3.0');

describe('flink-client on a terminal against real Flink 2.3.0', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flink-cli-session-'));
  const session = `flink-cli-session-${process.pid}`;
  afterAll(() => {
    try {
      tmux('kill-session', '-t', session);
    } catch {
      // not started, or gone
    }
    rmSync(dir, { recursive: true, force: true });
  });

  // Without a 2.3.0 cluster (FLINK_VERSIONS=1.20.5) there is nothing to capture: the session is of 2.3.0.
  it.skipIf(cluster === undefined)('deploy → savepoint → stop: steps, the savepoint location, the stopped job', async () => {
    if (!cluster) return;
    const jar = join(dir, basename(cluster.jars.streaming));
    copyFileSync(cluster.jars.streaming, jar);
    const savepoints = join(dir, 'savepoints');
    const rc = join(dir, 'rc');
    const tsx = import.meta.resolve('tsx');
    writeFileSync(rc, `PS1='$ '\nPROMPT_COMMAND='echo $? >> ${join(dir, 'codes')}'\nflink-client() { node --import ${tsx} ${join(ROOT, 'src/cli/main.ts')} "$@"; }\nexport SP=file://${savepoints}\n`);
    tmux('new-session', '-d', '-s', session, '-x', '112', '-y', '50', '-c', dir, '-e', `FLINK_URL=${cluster.url}`, '-e', `TSX_TSCONFIG_PATH=${join(ROOT, 'tsconfig.json')}`, '-e', 'NO_COLOR=1', `bash --noprofile --rcfile ${rc} -i`);
    const frames: string[] = [];
    const codes = join(dir, 'codes');
    const exits = (): string[] => (existsSync(codes) ? readFileSync(codes, 'utf8').split('\n').filter(Boolean) : []);
    /** Types one command, records the status lines shown while it runs, resolves with the screen once the prompt is back. */
    const type = async (line: string, timeoutMs = 180_000): Promise<{ screen: string; code: number }> => {
      const before = exits().length;
      tmux('send-keys', '-t', session, line, 'Enter');
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const screen = tmux('capture-pane', '-p', '-t', session);
        const status = screen.split('\n').find((l) => /⠿ .* \d+\.\d s/.test(l) || /uploading .*%/.test(l));
        if (status && frames.at(-1) !== status.trimEnd()) frames.push(status.trimEnd());
        const done = exits();
        if (done.length > before) return { screen, code: Number(done.at(-1)) };
        // The deadline only guards against a hang; the command ends when Flink is done.
        if (Date.now() > deadline) throw new Error(`\`${line}\` did not end:\n${screen}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    // The first prompt, then a clean screen and history.
    for (const deadline = Date.now() + 30_000; exits().length === 0; ) {
      if (Date.now() > deadline) throw new Error('the shell in tmux never showed its prompt');
      await new Promise((r) => setTimeout(r, 50));
    }
    await type('clear');
    tmux('clear-history', '-t', session);

    const deploy = await type(`flink-client deploy ${basename(jar)} -p 2`);
    expect(deploy.code, deploy.screen).toBe(0);
    expect(deploy.screen).toMatch(/uploaded \S+\.jar \(\d+(\.\d)? [KM]?i?B\) in \d+\.\d s: jar id /);
    expect(deploy.screen).toMatch(/submitted job [0-9a-f]{32}/);
    expect(deploy.screen).toMatch(/job [0-9a-f]{32} running: \d+ vertices, all tasks running/);
    expect(deploy.screen).toMatch(/deleted jar /);
    const jobId = /submitted job ([0-9a-f]{32})/.exec(deploy.screen)?.[1] as string;

    const list = await type('flink-client jobs list');
    expect(list.code, list.screen).toBe(0);
    // The shared cluster has run many jobs by now: the new one may have scrolled off the screen,
    // so the whole scrollback is read.
    const scrollback = tmux('capture-pane', '-p', '-J', '-S', '-', '-t', session);
    expect(scrollback.split('\n').some((l) => l.includes(jobId) && l.includes('RUNNING')), scrollback).toBe(true);

    const savepoint = await type(`flink-client jobs savepoint ${jobId} --dir $SP`);
    expect(savepoint.code, savepoint.screen).toBe(0);
    expect(savepoint.screen).toContain(`file:${savepoints}/savepoint-${jobId.slice(0, 6)}-`);

    const stop = await type(`flink-client jobs stop ${jobId} --dir $SP`);
    expect(stop.code, stop.screen).toBe(0);
    const stops = stop.screen.match(new RegExp(`^file:${savepoints}/savepoint-${jobId.slice(0, 6)}-\\w+$`, 'gm')) ?? [];
    expect(stops).toHaveLength(2);

    const gone = await type(`flink-client jobs stop ${jobId} --dir $SP`);
    expect(gone.code).toBe(4);
    // The whole session, wrapped lines joined (-J); the jobs table was sized to the 112-column pane.
    const screen = tmux('capture-pane', '-p', '-J', '-S', '-', '-t', session).replace(/\n+$/, '\n');
    const row = screen.split('\n').find((l) => l.includes(jobId) && l.includes('RUNNING')) as string;
    expect([...row].length).toBeLessThanOrEqual(112);

    const text = [
      `# flink-client on a terminal (tmux 112x50) against real Flink ${cluster.version}: deploy → savepoint → stop.`,
      '# Produced by test/integration/cli-session.test.ts; `flink-client` runs the CLI from source, FLINK_URL names the cluster.',
      '',
      '## The screen at the end (tmux capture-pane; status lines are redrawn in place and cleared when a wait ends)',
      '',
      screen,
      '## Status lines seen while the commands waited (captured every 50 ms; of each run that differs only in the elapsed time, the first and the last)',
      '',
      ...changes(frames),
      '',
    ].join('\n');
    const out = join(dir, 'cli-session.txt');
    writeFileSync(out, text);
    if (process.env.FLINK_CLI_SESSION_OUT) copyFileSync(out, process.env.FLINK_CLI_SESSION_OUT);
    expect(text).toContain('$ flink-client deploy');
  }, 600_000);
});
