import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The one definition of how a Flink process on this machine is configured, shared by
 * {@link LocalClusterDescriptor} and `scripts/record-fixtures.mjs` (which imports this file through
 * tsx), so the recordings are made against the same cluster the SDK deploys.
 */

/** What the base configuration of a local cluster needs to know. */
export interface LocalFlinkConfigInput {
  /** The cluster's private directory: tmp/, savepoints/, checkpoints/ live under it. */
  workDir: string;
  /** REST port of the (first) JobManager. */
  restPort: number;
  /** RPC port of the (first) JobManager. */
  rpcPort: number;
  /** Task slots per TaskManager. */
  slots: number;
}

/**
 * The configuration every process of a local cluster gets: everything bound to 127.0.0.1, free
 * ports, small memory sizes, and temporary files, uploads, savepoints and checkpoints inside the
 * cluster's own directory. Savepoint and checkpoint directories are absolute `file://` URIs: a
 * relative one would resolve against the JobManager's working directory.
 */
export function localFlinkConfiguration(input: LocalFlinkConfigInput): Record<string, string> {
  const { workDir } = input;
  return {
    'rest.address': '127.0.0.1',
    'rest.bind-address': '127.0.0.1',
    'rest.port': String(input.restPort),
    'jobmanager.rpc.address': '127.0.0.1',
    'jobmanager.rpc.port': String(input.rpcPort),
    'jobmanager.bind-host': '127.0.0.1',
    'taskmanager.bind-host': '127.0.0.1',
    'taskmanager.host': '127.0.0.1',
    'taskmanager.rpc.port': '0',
    'blob.server.port': '0',
    'taskmanager.numberOfTaskSlots': String(input.slots),
    'jobmanager.memory.process.size': '1024m',
    'taskmanager.memory.process.size': '1024m',
    'io.tmp.dirs': join(workDir, 'tmp'),
    'web.upload.dir': join(workDir, 'tmp'),
    'execution.checkpointing.savepoint-dir': fileUri(join(workDir, 'savepoints')),
    'execution.checkpointing.dir': fileUri(join(workDir, 'checkpoints')),
  };
}

/** The subdirectories of a work dir that {@link localFlinkConfiguration} points at. */
export const LOCAL_WORK_SUBDIRS = ['tmp', 'savepoints', 'checkpoints'] as const;

/**
 * ZooKeeper high availability for a local cluster: leader election and job metadata in the given
 * ZooKeeper, the HA blobs in `<workDir>/ha`, and a cluster id of its own so that clusters sharing
 * one ZooKeeper never see each other's leaders.
 */
export function zooKeeperHaConfiguration(input: { workDir: string; quorum: string; clusterId: string }): Record<string, string> {
  return {
    'high-availability.type': 'zookeeper',
    'high-availability.zookeeper.quorum': input.quorum,
    'high-availability.storageDir': fileUri(join(input.workDir, 'ha')),
    'high-availability.cluster-id': `/${input.clusterId}`,
    // No SASL on a loopback ZooKeeper: without this every connect logs "Authentication failed".
    'zookeeper.sasl.disable': 'true',
  };
}

/** `zoo.cfg` of a standalone ZooKeeper bound to 127.0.0.1 with its admin server (port 8080) off. */
export function zooKeeperConfig(input: { dataDir: string; clientPort: number }): string {
  return [
    'tickTime=2000',
    'initLimit=10',
    'syncLimit=5',
    `dataDir=${input.dataDir}`,
    `clientPort=${input.clientPort}`,
    'clientPortAddress=127.0.0.1',
    'admin.enableServer=false',
    '4lw.commands.whitelist=ruok,srvr',
    '',
  ].join('\n');
}

/**
 * Configuration as `-D key=value` dynamic properties, the way the start scripts pass it to the
 * JVM. Entries whose value is `null` are dropped (a way to remove a default).
 */
export function dynamicProperties(config: Record<string, string | null>): string[] {
  return Object.entries(config).flatMap(([k, v]) => (v === null ? [] : ['-D', `${k}=${v}`]));
}

/**
 * A `config.yaml` for processes whose start script takes no dynamic properties (the
 * HistoryServer): the shipped file's JVM flags (`env.java.opts.all`, which Java 17 needs) plus
 * the given entries as flat keys. Values are written as JSON strings, which YAML reads verbatim.
 */
export function flinkConfigYaml(shippedYaml: string, config: Record<string, string>): string {
  const javaOpts = /^\s+all:\s*(.+)$/m.exec(shippedYaml)?.[1]?.trim();
  const entries = javaOpts && !('env.java.opts.all' in config) ? { 'env.java.opts.all': javaOpts, ...config } : config;
  return `${Object.entries(entries)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join('\n')}\n`;
}

function fileUri(path: string): string {
  return pathToFileURL(path).href;
}
