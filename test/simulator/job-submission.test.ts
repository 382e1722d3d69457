import { afterEach, describe, expect, it } from 'vitest';
import { ClusterClient } from 'flink-client';
import { createFlinkSimulator, fixtureJar, fixturePrograms, type FlinkSimulator, type SimulatorFlinkVersion } from 'flink-client/testing';
import { type JavaClass, javaObject, SC_SERIALIZABLE, serializeJava } from '../../src/testing/java-serialization.js';

// `POST /jobs` (job-graph submission, as `flink run -m` and RestClusterClient send it) on the
// simulator. bin/flink against the simulator and a real cluster: test/integration/flink-clients.test.ts.

const ABSTRACT_ID: JavaClass = { name: 'org.apache.flink.util.AbstractID', serialVersionUID: 1n, flags: SC_SERIALIZABLE, fields: [{ name: 'lowerPart', type: 'J' }, { name: 'upperPart', type: 'J' }] };
const JOB_ID: JavaClass = { name: 'org.apache.flink.api.common.JobID', serialVersionUID: 1n, flags: SC_SERIALIZABLE, fields: [], superClass: ABSTRACT_ID };

/** A stand-in for a serialized JobGraph / StreamGraph: the two fields the simulator looks for, in Flink's order. */
function graphBytes(jobId: string, jobName: string): Uint8Array {
  const graph: JavaClass = {
    name: 'org.apache.flink.runtime.jobgraph.JobGraph',
    serialVersionUID: 1n,
    flags: SC_SERIALIZABLE,
    fields: [
      { name: 'jobID', type: 'Lorg/apache/flink/api/common/JobID;' },
      { name: 'jobName', type: 'Ljava/lang/String;' },
    ],
  };
  const id = javaObject(JOB_ID, { lowerPart: BigInt(`0x${jobId.slice(0, 16)}`), upperPart: BigInt(`0x${jobId.slice(16)}`) });
  return new Uint8Array(serializeJava(javaObject(graph, { jobID: id, jobName })));
}

let sim: FlinkSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(flinkVersion: SimulatorFlinkVersion): Promise<FlinkSimulator> {
  sim = await createFlinkSimulator({ flinkVersion, clock: 'virtual', programs: fixturePrograms });
  return sim;
}

async function submit(s: FlinkSimulator, request: unknown, files: Record<string, Uint8Array>): Promise<{ status: number; body: { jobUrl?: string; errors?: string[] } }> {
  const form = new FormData();
  form.append('request', typeof request === 'string' ? request : JSON.stringify(request));
  let n = 0;
  for (const [name, bytes] of Object.entries(files)) form.append(`file_${n++}`, new Blob([bytes]), name);
  const res = await fetch(`${s.url}/v1/jobs`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as { jobUrl?: string; errors?: string[] } };
}

const firstLine = (body: { errors?: string[] }): string | undefined => body.errors?.[0]?.split('\n')[0];

describe('POST /jobs on the simulator', () => {
  it('2.3: runs the submitted graph under its own job id and name, with the program of the jar sent along', async () => {
    const s = await start('2.3.0');
    const jobId = 'accd53c83538a269cf8e4d37dc537588';
    const graph = graphBytes(jobId, 'nightly-failing');
    const planFile = `flink-executionPlan-${jobId}18363887275086880372.bin`;
    const jar = fixtureJar('failing');
    const answer = await submit(s, { executionPlanFileName: planFile, jobJarFileNames: [jar.filename], jobArtifactFileNames: [] }, { [planFile]: graph, [jar.filename]: jar.bytes });
    expect(answer).toEqual({ status: 202, body: { jobUrl: `/jobs/${jobId}` } });

    const job = s.jobs.get(jobId);
    expect(job.name).toBe('nightly-failing');
    expect(job.entryClass).toBeUndefined();
    expect(job.jobGraph?.fileName).toBe(planFile);
    expect(job.jobGraph?.bytes).toEqual(graph);
    expect(job.jobGraph?.jars).toEqual([{ name: 'failing.jar', size: jar.bytes.byteLength }]);
    expect(job.jobGraph?.entryClass).toBe('flinkclient.fixtures.FailingJob');

    // The failing fixture's program: RUNNING, then FAILED with its exception in the job result.
    s.clock.advance(5_000);
    expect(job.status).toBe('FAILED');
    const client = new ClusterClient({ url: s.url });
    try {
      await expect(client.job(jobId).result()).rejects.toThrow('ended FAILED: java.lang.IllegalStateException: flink-client fixture failure');
    } finally {
      await client.close();
    }
    const raw = (await (await fetch(`${s.url}/v1/jobs/${jobId}/execution-result`)).json()) as { 'job-execution-result': { 'failure-cause': { class: string; 'serialized-throwable': string } } };
    const cause = raw['job-execution-result']['failure-cause'];
    expect(Buffer.from(cause['serialized-throwable'], 'base64').subarray(0, 4)).toEqual(Buffer.from('aced0005', 'hex'));
  });

  it('1.20: reads jobGraphFileName; a graph without a recognisable JobID takes the id of its file name, else a new one', async () => {
    const s = await start('1.20.5');
    const jobId = 'de75a27f5ad272d6fe68a3c940d1f1a1';
    const graphFile = `flink-jobgraph-${jobId}8941439666396421745.bin`;
    const opaque = new Uint8Array([0xac, 0xed, 0x00, 0x05, 0x73, 0x72, 0x00]);
    const jar = fixtureJar('streaming');
    const named = await submit(s, { jobGraphFileName: graphFile, jobJarFileNames: [jar.filename] }, { [graphFile]: opaque, [jar.filename]: jar.bytes });
    expect(named).toEqual({ status: 202, body: { jobUrl: `/jobs/${jobId}` } });
    // No name in the bytes: the name the jar's program gives its job.
    expect(s.jobs.get(jobId).name).toBe('flink-client-fixture-streaming-counter');
    s.clock.advance(1_000);
    expect(s.jobs.get(jobId).status).toBe('RUNNING');

    const generated = await submit(s, { jobGraphFileName: 'graph.bin', jobJarFileNames: [] }, { 'graph.bin': opaque });
    expect(generated.status).toBe(202);
    const id = generated.body.jobUrl?.replace('/jobs/', '') as string;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(id).not.toBe(jobId);
    expect(s.jobs.get(id).name).toBe('Flink Streaming Job');
  });

  it("answers a bad submission with Flink's errors", async () => {
    const s = await start('2.3.0');
    const graph = graphBytes('0123456789abcdef0123456789abcdef', 'j');
    // The 1.x field on a 2.x cluster is an unknown field: the 2.x one is missing.
    const old = await submit(s, { jobGraphFileName: 'g.bin' }, { 'g.bin': graph });
    expect([old.status, firstLine(old.body)]).toEqual([400, 'org.apache.flink.runtime.rest.handler.RestHandlerException: The executionPlanFileName field must not be omitted or be null.']);

    const missing = await submit(s, { executionPlanFileName: 'other.bin' }, { 'g.bin': graph });
    expect([missing.status, firstLine(missing.body)]).toEqual([400, 'org.apache.flink.runtime.rest.handler.RestHandlerException: ExecutionPlan file other.bin could not be found on the server.']);

    const noJar = await submit(s, { executionPlanFileName: 'g.bin', jobJarFileNames: ['app.jar'] }, { 'g.bin': graph });
    expect(firstLine(noJar.body)).toBe('org.apache.flink.runtime.rest.handler.RestHandlerException: Jar file app.jar could not be found on the server.');

    const noArtifact = await submit(s, { executionPlanFileName: 'g.bin', jobArtifactFileNames: [{ entryName: 'dict', fileName: 'dict.txt' }] }, { 'g.bin': graph });
    expect(firstLine(noArtifact.body)).toBe('org.apache.flink.runtime.rest.handler.RestHandlerException: Artifact file dict.txt could not be found on the server.');

    const notJava = await submit(s, { executionPlanFileName: 'g.bin' }, { 'g.bin': new TextEncoder().encode('{"not":"java"}') });
    expect(notJava.status).toBe(400);
    expect(notJava.body.errors?.[0]).toMatch(/^org\.apache\.flink\.runtime\.rest\.handler\.RestHandlerException: Failed to deserialize ExecutionPlan\.\n[\s\S]*Caused by: java\.io\.StreamCorruptedException: invalid stream header: 7B226E6F/);

    const badType = await submit(s, { executionPlanFileName: 'g.bin', jobJarFileNames: 'app.jar' }, { 'g.bin': graph });
    expect(badType.status).toBe(400);
    expect(firstLine(badType.body)).toBe('org.apache.flink.runtime.rest.handler.RestHandlerException: Request did not match expected format JobSubmitRequestBody.');

    const badArtifacts = await submit(s, { executionPlanFileName: 'g.bin', jobArtifactFileNames: ['dict.txt'] }, { 'g.bin': graph });
    expect([badArtifacts.status, firstLine(badArtifacts.body)]).toEqual([400, 'org.apache.flink.runtime.rest.handler.RestHandlerException: Request did not match expected format JobSubmitRequestBody.']);

    expect((await submit(s, { executionPlanFileName: 'g.bin' }, { 'g.bin': graph })).status).toBe(202);
    const again = await submit(s, { executionPlanFileName: 'g.bin' }, { 'g.bin': graph });
    expect(again.status).toBe(500);
    expect(again.body.errors?.[1]).toContain('org.apache.flink.runtime.client.DuplicateJobSubmissionException: Job has already been submitted.');
    expect(s.jobs.list()).toHaveLength(1);
  });
});
