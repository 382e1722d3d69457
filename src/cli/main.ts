#!/usr/bin/env node
// The `flink-client` bin: runs the CLI with this process's arguments, streams and signals, then
// exits with its code once stdout has drained (a pipe reader gets the whole output).
import { processIo } from './io.js';
import { runCli } from './program.js';

const io = processIo();
const code = await runCli(process.argv.slice(2), io);
io.dispose();
process.exitCode = code;
