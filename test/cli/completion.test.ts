import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { Capture, cli } from './support.js';

// Shell completion, generated from the commander program: loaded into a real bash (child
// process), asked with COMP_WORDS/COMP_CWORD as bash's completion would, compared with the
// program tree itself so that completion and commands cannot drift apart.

const program = buildProgram({ stdout: new Capture(), stderr: new Capture(), env: {}, cwd: '/', interrupt: new AbortController().signal });

/** Every command of the tree with its path of canonical names. */
function commands(cmd: Command = program, path: string[] = []): Array<{ path: string[]; cmd: Command }> {
  return [{ path, cmd }, ...cmd.commands.flatMap((c) => commands(c, [...path, c.name()]))];
}

let dir: string;
let script: string;

/** What completing the last of `words` (after `flink-client`) offers, one per line, sorted. */
function complete(...words: string[]): string[] {
  const all = ['flink-client', ...words];
  const quoted = all.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const out = execFileSync('bash', ['--norc', '--noprofile', '-c', `source ${script}; COMP_WORDS=(${quoted}); COMP_CWORD=${all.length - 1}; _flink_client; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8', cwd: dir });
  return out.split('\n').filter(Boolean).sort();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flink-cli-completion-'));
  const bash = await cli(['completion', 'bash']);
  expect(bash.code, bash.stderr).toBe(0);
  script = join(dir, 'flink-client.bash');
  writeFileSync(script, bash.stdout);
  writeFileSync(join(dir, 'my-job.jar'), 'PK');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('flink-client completion', () => {
  it('bash: registers the completion function for flink-client', () => {
    const registered = execFileSync('bash', ['--norc', '--noprofile', '-c', `source ${script}; complete -p flink-client`], { encoding: 'utf8' });
    expect(registered.trim()).toBe('complete -F _flink_client flink-client');
  });

  it('bash: offers the subcommands of every command of the tree, and its flags (no hidden ones)', () => {
    for (const { path, cmd } of commands()) {
      const subs = cmd.commands.map((c) => c.name());
      const choices = cmd.registeredArguments[0]?.argChoices ?? [];
      if (subs.length || choices.length) expect(complete(...path, ''), path.join(' ')).toEqual([...subs, ...choices].sort());
      const flags = complete(...path, '--');
      for (const o of [...(path.length ? cmd.options : []), ...program.options]) {
        if (o.hidden) expect(flags, `${path.join(' ')} ${o.long}`).not.toContain(o.long);
        else if (o.long) expect(flags, `${path.join(' ')} ${o.long}`).toContain(o.long);
      }
      expect(flags).toContain('--help');
    }
    expect(complete('--')).not.toContain('--password');
  });

  it('bash: follows aliases and skips flags with their values to find the command', () => {
    expect(complete('job', 'st')).toEqual(['stop']);
    expect(complete('--url', 'http://jm:8081', '-o', 'json', 'jobs', 'sto')).toEqual(['stop']);
    expect(complete('--output=json', 'jars', 'l')).toEqual(['list']);
    expect(complete('jobs', 'stop', '--d')).toEqual(['--detach', '--dir', '--drain']);
  });

  it("bash: completes a flag's choices, files for file flags and jar arguments, nothing for ids", () => {
    expect(complete('-o', '')).toEqual(['json', 'ndjson', 'table']);
    expect(complete('simulate', '--flink-version', '')).toEqual(['1.20.5', '2.3.0']);
    expect(complete('--ca', 'flink')).toEqual(['flink-client.bash']);
    expect(complete('deploy', 'my')).toEqual(['my-job.jar']);
    expect(complete('jars', 'upload', 'my')).toEqual(['my-job.jar']);
    // A job id is no file: nothing, and no fallback to file names either.
    expect(complete('jobs', 'describe', 'my')).toEqual([]);
    expect(complete('--url', 'my')).toEqual([]);
    expect(complete('completion', '')).toEqual(['bash', 'fish', 'zsh']);
  });

  it('zsh: the same definition through bashcompinit; fish: one line per command and flag', async () => {
    const zsh = await cli(['completion', 'zsh']);
    expect(zsh.code).toBe(0);
    expect(zsh.stdout).toMatch(/^#compdef flink-client\n/);
    expect(zsh.stdout).toContain('bashcompinit');
    expect(zsh.stdout).toContain('complete -F _flink_client flink-client');
    const fish = await cli(['completion', 'fish']);
    expect(fish.code).toBe(0);
    for (const { path, cmd } of commands()) {
      for (const c of cmd.commands) expect(fish.stdout, `${path.join(' ')} ${c.name()}`).toMatch(new RegExp(`complete -c flink-client -n '[^']*${path.length ? path.at(-1) : '__fish_use_subcommand'}[^']*' -a '${c.name()}'`));
      for (const o of path.length ? cmd.options : []) if (!o.hidden && o.long) expect(fish.stdout).toContain(`-l ${o.long.slice(2)}`);
    }
    expect(fish.stdout).toContain("-l output -x -a 'table json ndjson'");
  });

  it('rejects an unknown shell with a usage error (exit 2)', async () => {
    const r = await cli(['completion', 'powershell']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Allowed choices are bash, zsh, fish/);
  });
});
