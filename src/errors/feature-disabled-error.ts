import { FlinkError } from './flink-error.js';

/**
 * The cluster has the feature but it is switched off in its configuration, such as flame graphs
 * without `rest.flamegraph.enabled: true`. Nothing is wrong with the request; the cluster's
 * operator has to enable the setting.
 */
export class FeatureDisabledError extends FlinkError {
  static override readonly kind: string = 'FeatureDisabledError';
  /** What was asked for, e.g. `flame graphs`. */
  readonly feature: string;
  /** The configuration that enables it, such as `rest.flamegraph.enabled: true`. */
  readonly setting: string;
  constructor(init: { feature: string; setting: string }) {
    super(`${init.feature}: disabled on this cluster; it needs ${init.setting} in its configuration`, 'FLINK_FEATURE_DISABLED');
    this.feature = init.feature;
    this.setting = init.setting;
  }
}
