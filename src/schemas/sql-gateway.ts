import { z } from 'zod';
import { defineSchema, typedSchema } from './schema-kit.js';

/**
 * A column type as the gateway describes it (`results.columns[].logicalType`): the type root in
 * `type`, nullability, and the parameters of that root (`precision`, `elementType`, `fields`, ...).
 */
export interface SqlLogicalType {
  /** The type root, such as `INTEGER`, `VARCHAR`, `DECIMAL`, `ARRAY`, `ROW`. */
  type: string;
  /** Whether the column may hold NULL. */
  nullable?: boolean;
  /** Length of CHAR/VARCHAR/BINARY/VARBINARY. */
  length?: number;
  /** Precision of DECIMAL and TIMESTAMP types. */
  precision?: number;
  /** Scale of DECIMAL. */
  scale?: number;
  /** The element type of ARRAY and MULTISET. */
  elementType?: SqlLogicalType;
  /** The key type of MAP. */
  keyType?: SqlLogicalType;
  /** The value type of MAP. */
  valueType?: SqlLogicalType;
  /** The fields of ROW. */
  fields?: SqlRowField[];
}

/** One field of a ROW type. */
export interface SqlRowField {
  /** The field name. */
  name: string;
  /** The field's type. */
  fieldType: SqlLogicalType;
  /** The field's description, if any. */
  description?: string | null;
}

/** One result column: name, type, comment. */
export interface SqlColumn {
  /** The column name (`EXPR$0` for an unnamed expression). */
  name: string;
  /** Its type. */
  logicalType: SqlLogicalType;
  /** The column comment, if any. */
  comment?: string | null;
}

/** The body of `GET /api_versions`: the REST API versions the gateway speaks, such as `["V1", "V2", "V3", "V4"]`. */
export interface SqlGatewayApiVersions {
  /** Version names, `V1` to `V4` on Flink 2.x. */
  versions: string[];
}

/** Validates `GET /api_versions`. */
export const SqlGatewayApiVersionsSchema = typedSchema<SqlGatewayApiVersions>()(defineSchema((k) => k.object({ versions: z.array(z.string()) })));

/** The body of `GET /info`: product name and Flink version of the gateway. */
export interface SqlGatewayInfo {
  /** `Apache Flink`. */
  productName: string;
  /** The Flink version, such as `2.3.0`. */
  version: string;
}

/** Validates `GET /info`. */
export const SqlGatewayInfoSchema = typedSchema<SqlGatewayInfo>()(defineSchema((k) => k.object({ productName: z.string(), version: z.string() })));

/** The body of `POST /sessions`. */
export interface OpenSessionResponse {
  /** The session handle (a UUID). */
  sessionHandle: string;
}

/** Validates `POST /sessions`. */
export const OpenSessionResponseSchema = typedSchema<OpenSessionResponse>()(defineSchema((k) => k.object({ sessionHandle: z.string() })));

/** The body of `GET /sessions/:session`: the session's effective configuration. */
export interface SessionConfig {
  /** Every configuration entry of the session, gateway defaults and session properties merged. */
  properties: Record<string, string>;
}

/** Validates `GET /sessions/:session`. */
export const SessionConfigSchema = typedSchema<SessionConfig>()(defineSchema((k) => k.object({ properties: z.record(z.string(), z.string()) })));

/** The body of `POST /sessions/:session/statements` (and of a materialized-table refresh). */
export interface ExecuteStatementResponse {
  /** The operation handle (a UUID). */
  operationHandle: string;
}

/** Validates `POST /sessions/:session/statements`. */
export const ExecuteStatementResponseSchema = typedSchema<ExecuteStatementResponse>()(defineSchema((k) => k.object({ operationHandle: z.string() })));

/** The body of the operation status, cancel and close calls. */
export interface OperationStatusResponse {
  /** `INITIALIZED`, `PENDING`, `RUNNING`, `FINISHED`, `CANCELED`, `CLOSED`, `ERROR` or `TIMEOUT`. */
  status: string;
}

/** Validates the operation status, cancel and close calls. */
export const OperationStatusResponseSchema = typedSchema<OperationStatusResponse>()(defineSchema((k) => k.object({ status: z.string() })));

/** The body of `GET /sessions/:session/complete-statement` (v2+). */
export interface CompleteStatementResponse {
  /** Completion candidates at the position. */
  candidates: string[];
}

/** Validates `GET /sessions/:session/complete-statement`. */
export const CompleteStatementResponseSchema = typedSchema<CompleteStatementResponse>()(defineSchema((k) => k.object({ candidates: z.array(z.string()) })));

/** The body of `POST /sessions/:session/scripts` (v4). */
export interface DeployScriptResponse {
  /** The id of the application cluster the script was deployed to. */
  clusterID: string;
}

/** Validates `POST /sessions/:session/scripts`. */
export const DeployScriptResponseSchema = typedSchema<DeployScriptResponse>()(defineSchema((k) => k.object({ clusterID: z.string() })));

/** The `results` of a result page. */
// A type alias, not an interface: it must accept the loose object the lenient schema yields.
export type FetchResultsData = {
  /** The result columns (the real gateway's name). */
  columns?: SqlColumn[];
  /** The spec's name of `columns`. */
  columnInfos?: SqlColumn[];
  /** `JSON` or `PLAIN_TEXT`. */
  rowFormat?: string;
  /** The rows of this page, `{kind, fields}` each. */
  data?: unknown[];
};

/**
 * One page of a statement's result, `GET /sessions/:s/operations/:o/result/:token`. The real
 * gateway sends `isQueryResult` and `results.columns` where the OpenAPI spec says `queryResult`
 * and `results.columnInfos`; both spellings are accepted.
 */
export interface FetchResultsResponse {
  /** `NOT_READY` (ask the same token again), `PAYLOAD` (rows, maybe none yet) or `EOS` (the end). */
  resultType: string;
  /** The page to fetch next; absent at EOS. */
  nextResultUri?: string | null;
  /** Whether the statement was a query (its rows are its result). */
  isQueryResult?: boolean;
  /** The spec's name of `isQueryResult`. */
  queryResult?: boolean;
  /** The job the statement started, if any. */
  jobID?: string | null;
  /** `SUCCESS` (no content) or `SUCCESS_WITH_CONTENT`. */
  resultKind?: string;
  /** The rows and their columns; absent on NOT_READY. */
  results?: FetchResultsData;
}

// Columns are read by the row converter; `any` keeps the compiled fast check (no transform) while typing them.
const columnList = z.array(z.any());

/** Validates a result page: the envelope; columns and rows are read by the row converter. */
export const FetchResultsResponseSchema = typedSchema<FetchResultsResponse>()(defineSchema((k) =>
  k.object({
    resultType: z.string(),
    nextResultUri: z.string().nullable().optional(),
    isQueryResult: z.boolean().optional(),
    queryResult: z.boolean().optional(),
    jobID: z.string().nullable().optional(),
    resultKind: z.string().optional(),
    results: z.looseObject({ columns: columnList.optional(), columnInfos: columnList.optional(), rowFormat: z.string().optional(), data: z.array(z.unknown()).optional() }).optional(),
  })));
