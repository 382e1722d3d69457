import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlinkSimulator, fixturePrograms, type FlinkSimulator } from 'flink-client/testing';
import { nextRequest, ROOT, tempJar } from './support.js';

// The CLI in a real terminal: tmux runs it in a detached pane of a known size, the test reads the
// screen with capture-pane. tmux is part of the machine's toolset (Debian's tmux package).

const tmux = (...args: string[]): string => execFileSync('tmux', args, { encoding: 'utf8' });

/** Polls the pane until `pattern` is on the screen; the deadline only guards against hangs. */
async function screen(session: string, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = tmux('capture-pane', '-p', '-t', session);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`screen never showed ${pattern}:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('on a terminal (tmux)', () => {
  let sim: FlinkSimulator;
  let jar: ReturnType<typeof tempJar>;
  const session = `flink-cli-test-${process.pid}`;
  let runs = 0;
  /** The shell line for one CLI run, ending in `end<n>=<exit code>`: its own marker on the screen. */
  const command = (args: string): { line: string; end: RegExp } => {
    runs += 1;
    return { line: `${process.execPath} --import tsx ${join(ROOT, 'src/cli/main.ts')} ${args}; echo "end${runs}=$?"`, end: new RegExp(`end${runs}=(\\d+)$`, 'm') };
  };

  beforeAll(async () => {
    sim = await createFlinkSimulator({ clock: 'virtual', programs: fixturePrograms });
    jar = tempJar();
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '30', '-c', ROOT, '-e', 'NO_COLOR=', '-e', `FLINK_URL=${sim.url}`);
  });
  afterAll(async () => {
    try {
      tmux('kill-session', '-t', session);
    } catch {
      // already gone
    }
    await sim.close();
    jar.cleanup();
  });

  it('a stop wait redraws one status line with the elapsed time, status and trigger id; Ctrl-C leaves the resume command', async () => {
    const job = sim.jobs.submit({ name: 'tty-job', durationMs: 'unbounded' });
    sim.clock.advance(10_000);
    const polling = nextRequest(sim, (r) => r.method === 'GET' && r.path.includes('/savepoints/'));
    const stop = command(`jobs stop ${job.id}`);
    tmux('send-keys', '-t', session, stop.line, 'Enter');
    await Promise.race([polling, screen(session, stop.end).then((t) => { throw new Error(`the CLI ended early:\n${t}`); })]);
    const waiting = await screen(session, /stop of job [0-9a-f]{32} with a savepoint \d+\.\d s IN_PROGRESS trigger [0-9a-f]+/);
    // One status line, redrawn in place: no "..." step lines as off a terminal.
    expect(waiting.match(/stop of job/g)).toHaveLength(1);
    tmux('send-keys', '-t', session, 'C-c');
    const after = await screen(session, stop.end);
    expect(stop.end.exec(after)?.[1]).toBe('130');
    // The resume hint is one line of up to 120 columns: join the pane's wrapped lines.
    const triggerId = sim.operations.list()[0]?.triggerId as string;
    expect(after.replace(/\n/g, '')).toContain(`flink-client jobs stop ${job.id} --resume ${triggerId}`);
    expect(after).not.toMatch(/IN_PROGRESS/);
  });

  it('an upload ends with its size, time and jar id; tables fit the 120-column pane', async () => {
    const upload = command(`jars upload ${jar.jar}`);
    tmux('send-keys', '-t', session, upload.line, 'Enter');
    const shown = await screen(session, upload.end);
    expect(upload.end.exec(shown)?.[1]).toBe('0');
    expect(shown).toMatch(/uploaded streaming-counter\.jar \(\d+ B\) in \d+\.\d s: jar id \S+_streaming-counter\.jar/);
    const list = command('jars list');
    tmux('send-keys', '-t', session, list.line, 'Enter');
    const table = await screen(session, list.end);
    expect(list.end.exec(table)?.[1]).toBe('0');
    expect(table).toMatch(/JAR ID\s+NAME\s+UPLOADED\s+ENTRY CLASSES/);
    for (const line of table.split('\n')) expect([...line].length).toBeLessThanOrEqual(120);
  });
});
