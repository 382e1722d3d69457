import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { UploadedJar } from 'flink-client';
import type { CliContext } from '../cli-context.js';
import { formatBytes, formatElapsed } from '../duration.js';
import { UsageError } from '../exit-codes.js';

/**
 * Uploads a jar with progress: on a terminal bytes, percent and rate redrawn in place; elsewhere one
 * line when it starts and one when it is done.
 */
export async function uploadWithProgress(ctx: CliContext, file: string): Promise<UploadedJar> {
  const path = resolve(ctx.io.cwd, file);
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new UsageError(`${file} is not a file`);
    size = s.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const started = Date.now();
  const name = basename(path);
  if (!ctx.progress.live) ctx.note(`uploading ${name} (${formatBytes(size)})...`);
  const jar = await ctx.client().uploadJar(path, {
    ...ctx.call,
    onProgress: ({ bytesSent, totalBytes }) => {
      const total = totalBytes ?? size;
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      const pct = total > 0 ? Math.floor((bytesSent / total) * 100) : 100;
      const width = 20;
      const filled = Math.round((pct / 100) * width);
      ctx.progress.update(`uploading ${name} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% ${formatBytes(bytesSent)}/${formatBytes(total)} ${formatBytes(bytesSent / seconds)}/s`);
    },
  });
  ctx.note(`uploaded ${name} (${formatBytes(size)}) in ${formatElapsed(Date.now() - started)}: jar id ${jar.jarId}`);
  return jar;
}
