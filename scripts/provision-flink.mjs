#!/usr/bin/env node
// Provision a complete, runnable Apache Flink home (bin/, conf/, lib/, opt/, plugins/) into a
// local cache directory, for integration tests, the demo and the recorder.
//
//   node scripts/provision-flink.mjs [--version 2.3.0] [--all] [--quiet]
//
// Prints the FLINK_HOME path as the last line on stdout (with --all: one line per version, the
// default version last). Progress goes to stderr. Exit code 2 with a one-line message on errors
// the user can act on (no Java, download failure, checksum mismatch).
//
// Cache layout: <cacheDir>/<version>/ is the Flink home, <cacheDir> defaults to <repo>/.flink and
// can be overridden with the env var FLINK_CACHE_DIR. A home is complete only when its marker file
// `.provisioned.json` exists; it is written last into a temp dir next to the target, which is then
// renamed into place, so an interrupted run leaves no half-built home and is simply redone.
//
// Route: PyPI ships the JVM side of Flink inside two Python packages:
//   - `apache-flink` (platform wheels) holds pyflink/bin and pyflink/conf,
//   - `apache-flink-libraries` holds lib/ (flink-dist …), opt/, plugins/ and bin/bash-java-utils.jar:
//     as a py3 wheel under pyflink/ (2.x), or only as an sdist tarball under
//     apache_flink_libraries-<v>/deps/ (1.20.x: PyPI has no 1.20.x wheel of it).
// Both archives are fetched through the PEP 503 "simple" index (the pypi.org JSON API is not
// reachable from every machine), verified against the index's #sha256= fragment, and unpacked.
// The JVM bits are identical in every platform wheel of `apache-flink`, so any one will do.
//
// Unpacking is done in-process with a small zip reader (central directory + zlib.inflateRaw,
// shared with the simulator: src/testing/zip.ts) and a
// small ustar/pax tar reader (zlib.gunzip), rather than shelling out to `python3 -m zipfile` / `tar`:
// that keeps the script free of external tools (python3 is not on every developer machine and the
// flags of `tar` differ between GNU and BSD), lets us extract only the entries we need (the wheels
// also carry ~300 Python files), and streams the 100+ MiB flink-dist jar straight to disk.
//
// Fallback (not implemented: the wheel route works for every supported version). Without PyPI one
// would assemble the home from Maven Central: lib/ from org.apache.flink:flink-dist:<v> plus
// flink-table-api-java-uber, flink-table-runtime, flink-table-planner-loader, flink-connector-files,
// flink-csv, flink-json, flink-cep and the org.apache.logging.log4j jars; bin/bash-java-utils.jar from
// org.apache.flink:flink-dist:<v>:bin? (not published) - it would have to come from the wheel/sdist
// too, as would bin/*.sh and conf/* (they exist only in the binary tarball and in the PyPI
// packages). The binary tarball flink-<v>-bin-scala_2.12.tgz is published only on the Apache
// download mirrors, which this project's machines cannot reach.
//
// The home's conf/config.yaml is left exactly as shipped (localhost bindings, 1 slot). Test
// settings are not baked in: the SDK's local cluster descriptor is expected to pass its own
// configuration (its own FLINK_CONF_DIR and/or -D dynamic properties). See
// test/fixtures/recorded/FINDINGS.md for how each version reads its configuration.

import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import {
  chmod,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip, createInflateRaw } from 'node:zlib';

export const DEFAULT_VERSION = '2.3.0';
/** The older line the tests also cover: 1.20.x is the 1.x LTS. */
export const OLDER_VERSION = '1.20.5';
export const ALL_VERSIONS = [OLDER_VERSION, DEFAULT_VERSION];
export const MARKER_FILE = '.provisioned.json';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SIMPLE_INDEX = (process.env.PYPI_SIMPLE_URL || 'https://pypi.org/simple').replace(/\/+$/, '');
// Parts of the archives that make up a Flink home (everything else is Python).
const HOME_DIRS = ['bin', 'conf', 'lib', 'opt', 'plugins', 'licenses'];

export class ProvisionError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ProvisionError';
  }
}

export function defaultCacheDir() {
  return process.env.FLINK_CACHE_DIR ? resolve(process.env.FLINK_CACHE_DIR) : join(REPO_ROOT, '.flink');
}

/**
 * Check that a usable `java` is on the PATH (or in JAVA_HOME). Returns { major, text }.
 * Throws ProvisionError with an install hint otherwise.
 */
export function checkJava() {
  const javaHome = process.env.JAVA_HOME;
  const javaBin = javaHome && existsSync(join(javaHome, 'bin', 'java')) ? join(javaHome, 'bin', 'java') : 'java';
  const r = spawnSync(javaBin, ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new ProvisionError(
      `Java not found or not runnable (${r.error ? r.error.code || r.error.message : `exit ${r.status}`}): ` +
        'Flink needs a JDK/JRE 11 or 17 on the PATH, e.g. `apt-get install -y openjdk-17-jdk-headless`',
    );
  }
  const text = `${r.stderr}${r.stdout}`;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(text);
  let major = m ? Number(m[1]) : NaN;
  if (major === 1 && m?.[2]) major = Number(m[2]); // "1.8.0_392"
  if (Number.isFinite(major) && major < 11) {
    throw new ProvisionError(
      `Java ${major} found, but Flink 2.x needs Java 11 or newer: install e.g. \`apt-get install -y openjdk-17-jdk-headless\``,
    );
  }
  return { major, text: text.split('\n')[0] };
}

/**
 * Provision Flink `version` into `<cacheDir>/<version>` (idempotent; a warm cache returns at once).
 * @param {{ version?: string, cacheDir?: string, log?: (line: string) => void, checkJava?: boolean }} [opts]
 * @returns {Promise<{ flinkHome: string, version: string }>}
 */
export async function provisionFlink({ version = DEFAULT_VERSION, cacheDir, log, checkJava: doCheckJava = true } = {}) {
  const say = log ?? (() => {});
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new ProvisionError(`invalid Flink version "${version}" (want e.g. 2.3.0)`);
  if (doCheckJava) checkJava();
  const root = resolve(cacheDir ?? defaultCacheDir());
  const flinkHome = join(root, version);

  const marker = await readMarker(flinkHome);
  if (marker && marker.version === version && existsSync(join(flinkHome, 'lib', `flink-dist-${version}.jar`))) {
    return { flinkHome, version };
  }

  await mkdir(root, { recursive: true });
  const dlDir = join(root, '.downloads');
  await mkdir(dlDir, { recursive: true });

  say(`provisioning Flink ${version} into ${flinkHome}`);
  const flinkFile = await pickFile('apache-flink', version, say);
  const libsFile = await pickFile('apache-flink-libraries', version, say);
  const flinkArchive = await download(flinkFile, dlDir, say);
  const libsArchive = await download(libsFile, dlDir, say);

  const tmp = join(root, `.${version}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(tmp, { recursive: true });
    say(`unpacking ${libsFile.filename}`);
    await extractInto(libsArchive, libsFile.filename, tmp, version);
    say(`unpacking ${flinkFile.filename}`);
    await extractInto(flinkArchive, flinkFile.filename, tmp, version);
    await finishHome(tmp, version);
    await writeFile(
      join(tmp, MARKER_FILE),
      JSON.stringify(
        {
          version,
          provisionedAt: new Date().toISOString(),
          source: 'pypi',
          files: [flinkFile, libsFile].map((f) => ({ filename: f.filename, url: f.url, sha256: f.sha256 })),
        },
        null,
        2,
      ) + '\n',
    );
    // Replace a stale (marker-less) target; if another process won the race, keep its home.
    if (existsSync(flinkHome)) {
      if (await readMarker(flinkHome)) {
        await rm(tmp, { recursive: true, force: true });
        return { flinkHome, version };
      }
      await rm(flinkHome, { recursive: true, force: true });
    }
    try {
      await rename(tmp, flinkHome);
    } catch (e) {
      if ((e.code === 'ENOTEMPTY' || e.code === 'EEXIST') && (await readMarker(flinkHome))) {
        await rm(tmp, { recursive: true, force: true });
      } else throw e;
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  // The archives are only needed to build the home; they are big (~0.5 GiB), so drop them.
  if (!process.env.FLINK_KEEP_DOWNLOADS) {
    await rm(join(dlDir, flinkFile.filename), { force: true });
    await rm(join(dlDir, libsFile.filename), { force: true });
  }
  say(`Flink ${version} ready: ${flinkHome}`);
  return { flinkHome, version };
}

async function readMarker(home) {
  try {
    return JSON.parse(await readFile(join(home, MARKER_FILE), 'utf8'));
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// PyPI simple index

/** @returns {Promise<{ filename: string, url: string, sha256: string, kind: 'wheel'|'sdist' }>} */
async function pickFile(project, version, say) {
  const indexUrl = `${SIMPLE_INDEX}/${project}/`;
  const res = await fetchWithRetry(indexUrl, { headers: { accept: 'text/html' } }, say);
  const html = await res.text();
  const files = [];
  for (const m of html.matchAll(/<a\s[^>]*href="([^"]+)"[^>]*>([^<]+)<\/a>/g)) {
    const href = m[1].replace(/&amp;/g, '&');
    const filename = m[2].trim();
    const hash = /#sha256=([0-9a-f]{64})/.exec(href);
    if (!hash) continue;
    files.push({ filename, url: new URL(href.split('#')[0], indexUrl).href, sha256: hash[1] });
  }
  const stem = project.replace(/-/g, '[-_]');
  const v = version.replace(/\./g, '\\.');
  const wheelRe = new RegExp(`^${stem}-${v}-.*\\.whl$`, 'i');
  const sdistRe = new RegExp(`^${stem}-${v}\\.tar\\.gz$`, 'i');
  const wheels = files.filter((f) => wheelRe.test(f.filename));
  // Any wheel will do for the JVM parts; prefer the pure one, then manylinux x86_64, for stability.
  const score = (n) => (/-none-any\.whl$/.test(n) ? 0 : /manylinux.*x86_64/.test(n) ? (/cp311/.test(n) ? 1 : 2) : 3);
  wheels.sort((a, b) => score(a.filename) - score(b.filename) || a.filename.localeCompare(b.filename));
  if (wheels.length) return { ...wheels[0], kind: 'wheel' };
  const sdist = files.find((f) => sdistRe.test(f.filename));
  // apache-flink's sdist has no usable layout for us; apache-flink-libraries' sdist has deps/.
  if (sdist && project === 'apache-flink-libraries') return { ...sdist, kind: 'sdist' };
  throw new ProvisionError(`no ${project} ${version} archive on ${indexUrl} (is ${version} a released Flink version?)`);
}

// ---------------------------------------------------------------------------------------------
// Downloads

const TRANSIENT = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const ATTEMPTS = 5;

function errCode(e) {
  return e?.cause?.code || e?.code || e?.cause?.message || e?.message || String(e);
}
function isTransient(e) {
  return e?.transient === true || TRANSIENT.has(e?.cause?.code) || TRANSIENT.has(e?.code) || e?.name === 'AbortError' || /terminated|socket/i.test(e?.message ?? '');
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function fetchWithRetry(url, init, say) {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
      if (res.ok) return res;
      const err = new ProvisionError(`download failed: ${url} answered HTTP ${res.status} ${res.statusText}`.trim());
      err.transient = res.status >= 500 || res.status === 429 || res.status === 408;
      await res.body?.cancel().catch(() => {});
      throw err;
    } catch (e) {
      if (attempt < ATTEMPTS && isTransient(e)) {
        say(`  ${url}: ${e instanceof ProvisionError ? e.message : errCode(e)}; retrying (${attempt}/${ATTEMPTS - 1})`);
        await sleep(500 * 2 ** attempt);
        continue;
      }
      if (e instanceof ProvisionError) throw e;
      throw new ProvisionError(`download failed: ${url}: ${errCode(e)}`);
    }
  }
}

async function sha256File(path) {
  const h = createHash('sha256');
  await pipeline(createReadStream(path), h);
  return h.digest('hex');
}

/** Download `file` into dlDir (streamed, hashed on the fly); reuse a verified earlier download. */
async function download(file, dlDir, say) {
  const dest = join(dlDir, file.filename);
  if (existsSync(dest) && (await sha256File(dest)) === file.sha256) {
    say(`using cached ${file.filename}`);
    return dest;
  }
  const part = `${dest}.part-${process.pid}`;
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetchWithRetry(file.url, {}, say);
      const total = Number(res.headers.get('content-length')) || 0;
      say(`downloading ${file.url}${total ? ` (${mib(total)})` : ''}`);
      const hash = createHash('sha256');
      let done = 0;
      let lastPct = -1;
      let lastAt = 0;
      const meter = new Transform({
        transform(chunk, _enc, cb) {
          hash.update(chunk);
          done += chunk.length;
          const pct = total ? Math.floor((done / total) * 100) : -1;
          const now = Date.now();
          // Small files get no progress lines; big ones one per 10 % (or per 5 s without a length).
          if (total && total < 16 * 1048576) {
            // nothing
          } else if ((pct >= 0 && pct >= lastPct + 10) || now - lastAt > 5000) {
            lastPct = pct >= 0 ? pct - (pct % 10) : lastPct;
            lastAt = now;
            say(`  ${file.filename}: ${mib(done)}${total ? ` / ${mib(total)} (${pct}%)` : ''}`);
          }
          cb(null, chunk);
        },
      });
      await pipeline(Readable.fromWeb(res.body), meter, createWriteStream(part));
      const got = hash.digest('hex');
      if (got !== file.sha256) {
        await rm(part, { force: true });
        throw new ProvisionError(`checksum mismatch for ${file.url}: expected sha256 ${file.sha256}, got ${got}`);
      }
      await rename(part, dest);
      return dest;
    } catch (e) {
      await rm(part, { force: true });
      if (!(e instanceof ProvisionError) && attempt < ATTEMPTS && isTransient(e)) {
        say(`  ${file.filename}: ${errCode(e)} while downloading; retrying (${attempt}/${ATTEMPTS - 1})`);
        await sleep(1000 * 2 ** attempt);
        continue;
      }
      if (e instanceof ProvisionError) throw e;
      throw new ProvisionError(`download failed: ${file.url}: ${errCode(e)}`);
    }
  }
}

const mib = (n) => `${(n / 1048576).toFixed(1)} MiB`;

// ---------------------------------------------------------------------------------------------
// Extraction

/**
 * Map an archive entry path to a path inside the Flink home, or null to skip it.
 *   wheel:  pyflink/<dir>/...                              -> <dir>/...
 *           *.dist-info/licenses/{LICENSE,NOTICE}          -> LICENSE, NOTICE
 *   sdist:  apache_flink_libraries-<v>/deps/<dir>/...      -> <dir>/...
 *           apache_flink_libraries-<v>/{LICENSE,NOTICE}    -> LICENSE, NOTICE
 */
function mapEntry(name) {
  let rest = null;
  let m;
  if ((m = /^pyflink\/(.+)$/.exec(name))) rest = m[1];
  else if ((m = /^[^/]+\/deps\/(.+)$/.exec(name))) rest = m[1];
  else if ((m = /^[^/]+\.dist-info\/licenses\/(LICENSE|NOTICE)$/.exec(name))) return m[1];
  else if ((m = /^apache[-_]flink[-_]libraries-[^/]+\/(LICENSE|NOTICE)$/.exec(name))) return m[1];
  if (!rest) return null;
  const top = rest.split('/')[0];
  if (!HOME_DIRS.includes(top) || rest.endsWith('/')) return null;
  if (rest.split('/').some((p) => p === '..' || p === '')) return null;
  return rest;
}

async function extractInto(archive, filename, home, version) {
  if (filename.endsWith('.whl') || filename.endsWith('.zip')) return extractZip(archive, home);
  if (filename.endsWith('.tar.gz') || filename.endsWith('.tgz')) return extractTarGz(archive, home);
  throw new ProvisionError(`cannot unpack ${filename} for Flink ${version}`);
}

async function ensureDirFor(path) {
  await mkdir(dirname(path), { recursive: true });
}

/**
 * The zip reader shared with the simulator (src/testing/zip.ts), loaded through tsx since node
 * runs this script without a TypeScript loader.
 */
let zipModule;
async function zipReader() {
  if (!zipModule) {
    const { tsImport } = await import('tsx/esm/api');
    zipModule = await tsImport('../src/testing/zip.ts', import.meta.url);
  }
  return zipModule;
}

/** Unzips with the shared central-directory reader -> local headers -> stored/deflated data. No zip64. */
async function extractZip(path, home) {
  const zip = await zipReader();
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const tailLen = Math.min(size, zip.ZIP_TAIL_BYTES);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let entries;
    try {
      const where = zip.locateCentralDirectory(tail);
      const cd = Buffer.alloc(where.size);
      await fh.read(cd, 0, where.size, where.offset);
      entries = zip.readCentralDirectory(cd, where.count);
    } catch (e) {
      if (e instanceof zip.ZipFormatError) throw new ProvisionError(`${path}: ${e.message}`);
      throw e;
    }
    for (const e of entries) {
      const rel = mapEntry(e.name);
      if (!rel) continue;
      const lh = Buffer.alloc(zip.LOCAL_HEADER_BYTES);
      await fh.read(lh, 0, lh.length, e.localOffset);
      let start;
      try {
        start = zip.entryDataStart(lh, e);
      } catch (err) {
        if (err instanceof zip.ZipFormatError) throw new ProvisionError(`${path}: ${err.message}`);
        throw err;
      }
      const dest = join(home, rel);
      await ensureDirFor(dest);
      const src = e.compressedSize
        ? createReadStream(path, { start, end: start + e.compressedSize - 1 })
        : Readable.from([]);
      if (e.method === 8) await pipeline(src, createInflateRaw(), createWriteStream(dest));
      else if (e.method === 0) await pipeline(src, createWriteStream(dest));
      else throw new ProvisionError(`${path}: unsupported zip compression method ${e.method} for ${e.name}`);
      const st = await stat(dest);
      if (st.size !== e.size) throw new ProvisionError(`${path}: ${e.name} unpacked to ${st.size} bytes, expected ${e.size}`);
      if (e.mode & 0o111) await chmod(dest, 0o755);
    }
  } finally {
    await fh.close();
  }
}

/** Minimal tar reader (ustar + pax 'x' path records + GNU 'L' long names) over a gunzip stream. */
async function extractTarGz(path, home) {
  let buf = Buffer.alloc(0);
  let state = 'header';
  let remaining = 0; // bytes of the current entry's data still to consume
  let pad = 0;
  let out = null; // { fd, dest, mode } for a file being written
  let meta = null; // collected pax / longname data
  let metaKind = null;
  let nextName = null;
  let zeroBlocks = 0;

  const parseOctal = (b) => {
    if (b[0] & 0x80) {
      // base-256
      let v = 0;
      for (let i = 1; i < b.length; i++) v = v * 256 + b[i];
      return v;
    }
    const s = b.toString('latin1').replace(/\0.*$/s, '').trim();
    return s ? parseInt(s, 8) : 0;
  };
  const cstr = (b) => b.toString('utf8').replace(/\0.*$/s, '');

  const gunzip = createReadStream(path).pipe(createGunzip());
  for await (const chunk of gunzip) {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      if (state === 'header') {
        if (buf.length < 512) break;
        const h = buf.subarray(0, 512);
        buf = buf.subarray(512);
        if (h.every((x) => x === 0)) {
          if (++zeroBlocks >= 2) state = 'end';
          continue;
        }
        zeroBlocks = 0;
        const type = String.fromCharCode(h[156] || 48);
        const size = parseOctal(h.subarray(124, 136));
        const mode = parseOctal(h.subarray(100, 108));
        let name = cstr(h.subarray(0, 100));
        if (h.toString('latin1', 257, 262) === 'ustar') {
          const prefix = cstr(h.subarray(345, 500));
          if (prefix) name = `${prefix}/${name}`;
        }
        if (nextName) {
          name = nextName;
          nextName = null;
        }
        remaining = size;
        pad = (512 - (size % 512)) % 512;
        if (type === 'x' || type === 'L' || type === 'g') {
          meta = [];
          metaKind = type;
          state = 'meta';
        } else {
          const rel = type === '0' || type === '7' ? mapEntry(name) : null;
          if (rel) {
            const dest = join(home, rel);
            await ensureDirFor(dest);
            out = { fh: await open(dest, 'w'), dest, mode };
          } else out = null;
          state = 'data';
        }
      }
      if (state === 'meta' || state === 'data') {
        if (remaining > 0) {
          if (!buf.length) break;
          const n = Math.min(remaining, buf.length);
          const piece = buf.subarray(0, n);
          if (state === 'meta') meta.push(Buffer.from(piece));
          else if (out) await out.fh.write(piece);
          buf = buf.subarray(n);
          remaining -= n;
          if (remaining > 0) break;
        }
        if (buf.length < pad) break;
        buf = buf.subarray(pad);
        pad = 0;
        if (state === 'meta') {
          const text = Buffer.concat(meta).toString('utf8');
          if (metaKind === 'L') nextName = text.replace(/\0.*$/s, '');
          else if (metaKind === 'x') {
            const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text);
            if (m) nextName = m[1];
          }
          meta = null;
        } else if (out) {
          await out.fh.close();
          if (out.mode & 0o111) await chmod(out.dest, 0o755);
          out = null;
        }
        state = 'header';
        continue;
      }
      if (state === 'end') {
        buf = Buffer.alloc(0);
        break;
      }
    }
  }
  if (out) {
    await out.fh.close();
    throw new ProvisionError(`${path}: truncated tar archive`);
  }
}

/** Make the assembled tree a working Flink home and check its key files. */
async function finishHome(home, version) {
  for (const f of [`lib/flink-dist-${version}.jar`, 'bin/config.sh', 'bin/jobmanager.sh', 'bin/taskmanager.sh', 'bin/flink', 'bin/bash-java-utils.jar']) {
    if (!existsSync(join(home, f))) throw new ProvisionError(`the PyPI archives for Flink ${version} did not contain ${f}`);
  }
  if (!existsSync(join(home, 'conf', 'config.yaml')) && !existsSync(join(home, 'conf', 'flink-conf.yaml'))) {
    throw new ProvisionError(`the PyPI archives for Flink ${version} did not contain conf/config.yaml`);
  }
  // Scripts must be executable whatever the archive said (wheels often drop the x bit).
  for (const f of await readdir(join(home, 'bin'))) {
    if (!f.endsWith('.jar') && !f.endsWith('.bat')) await chmod(join(home, 'bin', f), 0o755);
  }
  const pluginsDir = join(home, 'plugins');
  if (existsSync(pluginsDir)) {
    for (const d of await readdir(pluginsDir, { withFileTypes: true })) {
      if (!d.isDirectory()) continue;
      for (const f of await readdir(join(pluginsDir, d.name))) {
        if (f.endsWith('.sh')) await chmod(join(pluginsDir, d.name, f), 0o755);
      }
    }
  }
  await mkdir(join(home, 'log'), { recursive: true });
}

// ---------------------------------------------------------------------------------------------
// CLI

function parseArgs(argv) {
  const opts = { version: DEFAULT_VERSION, all: false, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--version' || a === '-v') opts.version = argv[++i];
    else if (a.startsWith('--version=')) opts.version = a.slice('--version='.length);
    else if (a === '--all') opts.all = true;
    else if (a === '--quiet' || a === '-q') opts.quiet = true;
    else if (a === '--help' || a === '-h') opts.help = true;
    else throw new ProvisionError(`unknown argument "${a}" (usage: provision-flink.mjs [--version X.Y.Z] [--all] [--quiet])`);
  }
  if (!opts.version) throw new ProvisionError('--version needs a value, e.g. --version 2.3.0');
  return opts;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
    if (opts.help) {
      process.stdout.write(
        'usage: node scripts/provision-flink.mjs [--version X.Y.Z] [--all] [--quiet]\n' +
          `  provisions Flink (default ${DEFAULT_VERSION}; --all: ${ALL_VERSIONS.join(' and ')}) into $FLINK_CACHE_DIR or <repo>/.flink\n` +
          '  and prints the FLINK_HOME path(s) on stdout, last line = the requested/default version\n',
      );
      return;
    }
    const log = opts.quiet ? undefined : (line) => process.stderr.write(`[provision-flink] ${line}\n`);
    const versions = opts.all ? ALL_VERSIONS : [opts.version];
    checkJava();
    for (const version of versions) {
      const t0 = Date.now();
      const { flinkHome } = await provisionFlink({ version, log, checkJava: false });
      log?.(`Flink ${version}: ${flinkHome} (${Date.now() - t0} ms)`);
      process.stdout.write(`${flinkHome}\n`);
    }
  } catch (e) {
    if (e instanceof ProvisionError) {
      process.stderr.write(`provision-flink: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
