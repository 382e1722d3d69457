import type { ClusterModel } from '../model.js';
import { defineRoute, ok, param, type Route } from '../route-kit.js';
import { operationKeyNotFound, renderDisposalStatus } from './savepoints.js';

/**
 * Cluster data sets (`/datasets`): the intermediate results kept across jobs. The simulator keeps
 * none (no job produces cluster partitions), so the list is empty, as on the real clusters
 * recorded; deleting one is an asynchronous operation that completes at once, as Flink's
 * ResourceManager releases an unknown data set immediately. An unknown trigger id is the 404 of
 * Flink's OperationKey lookup.
 */

/** `DELETE /datasets/:datasetid`: a completed deletion's trigger id. */
function deleteDataSet(model: ClusterModel): string {
  const ops = model.operations;
  const { op } = ops.begin('dataset', 'dataset-deletion', undefined, undefined);
  const injected = ops.takeInjectedFailure('dataset-deletion');
  ops.completeNow(op, injected ? { failure: injected } : { result: {} });
  return op.triggerId;
}

/** @internal */
export const dataSetRoutes: readonly Route[] = [
  defineRoute({ method: 'GET', path: '/datasets', params: {}, handle: () => ok({ dataSets: [] }) }),
  defineRoute({
    method: 'DELETE',
    path: '/datasets/:datasetid',
    params: { datasetid: param.flinkId },
    handle: ({ model }) => ok({ 'request-id': deleteDataSet(model) }, 202),
  }),
  defineRoute({
    method: 'GET',
    path: '/datasets/delete/:triggerid',
    params: { triggerid: param.flinkId },
    handle: ({ model, params }) => {
      const op = model.operations.get('dataset', undefined, params.triggerid);
      return op ? ok(renderDisposalStatus(op)) : operationKeyNotFound(model.config.ids);
    },
  }),
];
