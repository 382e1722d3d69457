import { chain, internalServerError, restHandlerError } from '../java.js';
import { readJar } from '../jar-file.js';
import { JarRecord } from '../jar-store.js';
import type { ClusterModel } from '../model.js';
import type { SimulatedJobSpec } from '../programs.js';
import { BodyReader, defineRoute, fail, ok, type Route, type RouteResult } from '../route-kit.js';
import type { SimulatedJobGraph } from '../state.js';

/**
 * `POST /jobs`: job-graph submission, what `flink run -m <host:port>` and `RestClusterClient`
 * send. A multipart body with a JSON part named `request` (`executionPlanFileName` on 2.x,
 * `jobGraphFileName` on 1.x; `jobJarFileNames`; `jobArtifactFileNames` as `{entryName,
 * fileName}`) and the files it names. Flink answers 202 `{"jobUrl": "/jobs/<id>"}` and the job
 * runs under the id the client put in the graph; the client then polls that id.
 *
 * The graph file is Java-serialized (a `JobGraph` on 1.x, a `StreamGraph` on 2.x). The simulator
 * never deserializes it: it keeps the bytes, and finds the two values it needs by their bytes
 * alone: the graph's `JobID` (the first `org.apache.flink.api.common.JobID` object in the stream,
 * two longs) and the job name (the string right after it, where both lines put `jobName`). When
 * the bytes do not show them, the id comes from the client's file name
 * (`flink-jobgraph-<id>…bin`, `flink-executionPlan-<id>…bin`) or is generated. What the job does
 * is the program registered for the submitted jar's `Main-Class` (its first job), as for a jar run.
 */

const STREAM_HEADER = Buffer.from([0xac, 0xed, 0x00, 0x05]);

function utf(text: string): Buffer {
  const bytes = Buffer.from(text, 'latin1');
  return Buffer.concat([Buffer.from([bytes.length >> 8, bytes.length & 0xff]), bytes]);
}

// TC_OBJECT TC_CLASSDESC "…JobID" <uid> SC_SERIALIZABLE, no fields, end of annotations, then
// its superclass TC_CLASSDESC "…AbstractID" <uid> SC_SERIALIZABLE, fields J lowerPart, J upperPart.
const JOB_ID_DESC = Buffer.from([0x73, 0x72, ...utf('org.apache.flink.api.common.JobID')]);
const ABSTRACT_ID_TAIL = Buffer.concat([Buffer.from([0x02, 0x00, 0x02, 0x4a]), utf('lowerPart'), Buffer.from([0x4a]), utf('upperPart'), Buffer.from([0x78, 0x70])]);

/**
 * The job id and name a serialized job graph carries, read from its bytes without deserializing
 * anything; undefined where the bytes do not have the expected shape. @internal
 */
export function scanJobGraph(bytes: Uint8Array): { jobId: string | undefined; jobName: string | undefined } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const none = { jobId: undefined, jobName: undefined };
  const at = buf.indexOf(JOB_ID_DESC);
  if (at < 0) return none;
  // JobID's own descriptor: 8-byte uid, flags, 0 fields, TC_ENDBLOCKDATA, then AbstractID's.
  let p = at + JOB_ID_DESC.length + 8;
  if (buf[p] !== 0x02 || buf[p + 1] !== 0 || buf[p + 2] !== 0 || buf[p + 3] !== 0x78 || buf[p + 4] !== 0x72) return none;
  p += 5;
  const superName = utf('org.apache.flink.util.AbstractID');
  if (!buf.subarray(p, p + superName.length).equals(superName)) return none;
  p += superName.length + 8;
  if (!buf.subarray(p, p + ABSTRACT_ID_TAIL.length).equals(ABSTRACT_ID_TAIL)) return none;
  p += ABSTRACT_ID_TAIL.length;
  if (p + 16 > buf.length) return none;
  // AbstractID prints lowerPart then upperPart, the order the stream holds them in.
  const jobId = buf.subarray(p, p + 16).toString('hex');
  p += 16;
  let jobName: string | undefined;
  if (buf[p] === 0x74 && p + 3 <= buf.length) {
    const len = buf.readUInt16BE(p + 1);
    if (p + 3 + len <= buf.length) jobName = buf.subarray(p + 3, p + 3 + len).toString('utf8');
  }
  return { jobId, jobName };
}

/** The submitted files by name, or Flink's 400 for a repeated name. */
async function readParts(request: Request): Promise<{ json: string; files: Map<string, File> } | RouteResult> {
  const files = new Map<string, File>();
  let json = '';
  let count = 0;
  try {
    const form = await request.formData();
    for (const [name, value] of form) {
      if (typeof value === 'string') {
        if (name === 'request') json = value;
        continue;
      }
      const file = value as File;
      if (name === 'request') {
        json = await file.text();
        continue;
      }
      count++;
      files.set(file.name.replace(/^.*[\\/]/, ''), file);
    }
  } catch {
    // Not multipart: Flink reads no request part and no files.
  }
  if (count !== files.size) {
    return fail({
      status: 400,
      body: restHandlerError(`The number of uploaded files was higher than the expected count. Expected: ${files.size} Actual ${count}`),
    });
  }
  return { json, files };
}

function missingFile(type: string, fileName: string): RouteResult {
  return fail({ status: 400, body: restHandlerError(`${type} file ${fileName} could not be found on the server.`) });
}

/** The spec of the first job the jar's program submits, or a plain streaming job. */
function jobSpecOf(model: ClusterModel, jarName: string | undefined, jarBytes: Uint8Array | undefined, jobName: string | undefined): { spec: SimulatedJobSpec; entryClass: string | undefined } {
  const fallback = (entryClass: string | undefined): { spec: SimulatedJobSpec; entryClass: string | undefined } => ({ spec: { name: jobName ?? 'Flink Streaming Job', durationMs: 'unbounded' }, entryClass });
  if (!jarName || !jarBytes) return fallback(undefined);
  const contents = readJar(jarBytes);
  const mainClass = contents.mainClass ?? model.config.programs.entryClassForJarName(jarName);
  if (!mainClass) return fallback(undefined);
  const jar = new JarRecord('', jarName, model.clock.now(), mainClass, contents.classes, jarBytes.byteLength);
  const resolved = model.resolveProgram(jar, { entryClass: undefined, args: [], parallelism: undefined, configuration: {}, savepointPath: undefined }, 'run');
  if ('ok' in resolved) return fallback(mainClass);
  const submit = resolved.steps.find((s) => s.type === 'submit');
  if (!submit || submit.type !== 'submit') return fallback(mainClass);
  return { spec: { ...submit.job, name: jobName ?? submit.job.name }, entryClass: mainClass };
}

async function submit(model: ClusterModel, request: Request): Promise<RouteResult> {
  const parts = await readParts(request);
  if ('status' in parts) return parts;
  const v2 = model.profile.jobFields2x;
  const graphField = v2 ? 'executionPlanFileName' : 'jobGraphFileName';
  const graphType = v2 ? 'ExecutionPlan' : 'JobGraph';
  let parsed: unknown = {};
  try {
    parsed = parts.json.trim() === '' ? {} : JSON.parse(parts.json);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return fail({ status: 400, body: restHandlerError('Request did not match expected format JobSubmitRequestBody.') });
  }
  const body = new BodyReader('JobSubmitRequestBody', 'org.apache.flink.runtime.rest.messages.job.JobSubmitRequestBody', parsed as Record<string, unknown>);
  const graphFileName = body.string(graphField);
  const jarNames = body.stringList('jobJarFileNames') ?? [];
  const rawArtifacts = (parsed as Record<string, unknown>).jobArtifactFileNames ?? [];
  if (body.error) return body.error;
  if (!Array.isArray(rawArtifacts) || rawArtifacts.some((a) => a === null || typeof a !== 'object')) {
    return fail({ status: 400, body: restHandlerError('Request did not match expected format JobSubmitRequestBody.') });
  }
  if (graphFileName === undefined) return fail({ status: 400, body: restHandlerError(`The ${graphField} field must not be omitted or be null.`) });
  const graphFile = parts.files.get(graphFileName);
  if (!graphFile) return missingFile(graphType, graphFileName);
  for (const jar of jarNames) if (!parts.files.has(jar)) return missingFile('Jar', jar);
  const artifacts: Array<{ entryName: string; fileName: string }> = [];
  for (const a of rawArtifacts as unknown[]) {
    const entry = a as { entryName?: unknown; fileName?: unknown };
    const fileName = String(entry?.fileName ?? '');
    if (!parts.files.has(fileName)) return missingFile('Artifact', fileName);
    artifacts.push({ entryName: String(entry?.entryName ?? fileName), fileName });
  }

  const graphBytes = new Uint8Array(await graphFile.arrayBuffer());
  if (!Buffer.from(graphBytes.subarray(0, 4)).equals(STREAM_HEADER)) {
    const header = Buffer.from(graphBytes.subarray(0, 4)).toString('hex').toUpperCase().padEnd(8, '0');
    return fail({
      status: 400,
      body: restHandlerError(`Failed to deserialize ${graphType}.`, { className: 'java.io.StreamCorruptedException', message: `invalid stream header: ${header}`, frames: ['java.base/java.io.ObjectInputStream.readStreamHeader(ObjectInputStream.java:987)'] }),
    });
  }
  const scanned = scanJobGraph(graphBytes);
  const fromName = /^flink-(?:jobgraph|executionPlan)-([0-9a-f]{32})/i.exec(graphFileName)?.[1]?.toLowerCase();
  const jobId = scanned.jobId ?? fromName ?? model.config.ids.flinkId();
  if (model.jobs.has(jobId) || model.applications.has(jobId)) {
    const duplicate = { className: 'org.apache.flink.runtime.client.DuplicateJobSubmissionException', message: 'Job has already been submitted.' };
    return fail({ status: 500, body: internalServerError(chain({ className: 'java.util.concurrent.CompletionException', message: `${duplicate.className}: ${duplicate.message}` }, duplicate)) });
  }
  const firstJar = jarNames[0];
  const jarFile = firstJar === undefined ? undefined : parts.files.get(firstJar);
  const { spec, entryClass } = jobSpecOf(model, firstJar, jarFile ? new Uint8Array(await jarFile.arrayBuffer()) : undefined, scanned.jobName);
  const job = model.submitJob(spec, { jobId });
  const graph: SimulatedJobGraph = {
    fileName: graphFileName,
    bytes: graphBytes,
    jars: await Promise.all(jarNames.map(async (name) => ({ name, size: (parts.files.get(name) as File).size }))),
    artifacts,
    entryClass,
  };
  job.jobGraph = graph;
  return ok({ jobUrl: `/jobs/${job.id}` }, 202);
}

/** The job-submission route. @internal */
export const jobSubmissionRoutes: readonly Route[] = [defineRoute({ method: 'POST', path: '/jobs', params: {}, handle: ({ model, request }) => submit(model, request()) })];
