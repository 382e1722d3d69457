import { FlinkError } from './flink-error.js';

/**
 * The cluster's Flink version lacks what was asked for, such as the application endpoints before
 * Flink 2.3. Thrown before anything is sent.
 */
export class UnsupportedFeatureError extends FlinkError {
  static override readonly kind: string = 'UnsupportedFeatureError';
  /** What was asked for, e.g. `runApplication`. */
  readonly feature: string;
  /** The cluster's Flink version. */
  readonly clusterVersion: string;
  /** The first Flink version that has the feature. */
  readonly minimumVersion: string;
  constructor(init: { feature: string; clusterVersion: string; minimumVersion: string }) {
    super(
      `${init.feature} needs Flink ${init.minimumVersion} or newer; the cluster runs Flink ${init.clusterVersion}`,
      'FLINK_UNSUPPORTED_FEATURE',
    );
    this.feature = init.feature;
    this.clusterVersion = init.clusterVersion;
    this.minimumVersion = init.minimumVersion;
  }
}
