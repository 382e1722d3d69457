import { pathTemplate, type SpanAttributes, spanIfUntraced, startSpan, type TraceSpan } from '../internal/telemetry.js';
import type { ResourceRef } from './map-error.js';

/** Flink's ids of what a call is about, as span attributes. */
function resourceAttributes(resource: ResourceRef | undefined): SpanAttributes {
  switch (resource?.kind) {
    case 'job':
      return { 'flink.job.id': resource.jobId };
    case 'application':
      return { 'flink.application.id': resource.applicationId };
    case 'jar':
      return { 'flink.jar.id': resource.jarId };
    case 'operation':
      return { 'flink.job.id': resource.jobId, 'flink.trigger.id': resource.triggerId, 'flink.operation.kind': resource.operation };
    default:
      return {};
  }
}

/**
 * The CLIENT span of one logical HTTP call (all its attempts), named `{method} {url.template}` as
 * OpenTelemetry's HTTP conventions name client spans. A no-op span when tracing is off.
 */
export function openCallSpan(spec: { method: string; path: string; resource?: ResourceRef }, requestId: string): TraceSpan {
  // Untraced (the common case), the template and attributes below would be built for nothing on every call.
  const untraced = spanIfUntraced();
  if (untraced) return untraced;
  const ids = resourceAttributes(spec.resource);
  const template = pathTemplate(spec.path, {
    jobId: ids['flink.job.id'] as string | undefined,
    triggerId: ids['flink.trigger.id'] as string | undefined,
    applicationId: ids['flink.application.id'] as string | undefined,
    jarId: ids['flink.jar.id'] as string | undefined,
  });
  return startSpan(`${spec.method} ${template}`, 'client', { 'http.request.method': spec.method, 'url.template': template, 'flink.request.id': requestId, ...ids });
}

/** Records on the call's span where an attempt goes: the last attempt's URL stands. */
export function spanAttempt(span: TraceSpan, origin: string, url: string, attempt: number): void {
  if (!span.recording) return;
  let address: string | undefined;
  let port: number | undefined;
  try {
    const parsed = new URL(origin);
    address = parsed.hostname;
    port = Number(parsed.port) || (parsed.protocol === 'https:' ? 443 : 80);
  } catch {
    // An origin the endpoint set accepted always parses; leave the attributes out otherwise.
  }
  span.set({ 'url.full': url, 'server.address': address, 'server.port': port, 'http.request.resend_count': attempt > 1 ? attempt - 1 : undefined });
}
