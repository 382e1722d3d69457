import { transportCode } from './transient.js';

/** Certificate verification failures that mean "not signed by a CA this client trusts". */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/**
 * What a transport failure most likely means, in words a person can act on: which side of a TLS
 * mismatch is wrong, which certificate check failed, that nothing listens. Undefined when the
 * failure says nothing more than its own message.
 *
 * @param url the endpoint (`scheme://host:port`) the attempt went to
 */
export function diagnoseTransportError(err: unknown, url: string): string | undefined {
  const code = transportCode(err) ?? '';
  const text = messagesOf(err).toLowerCase();
  const secure = url.startsWith('https:');
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|packet length too long|unknown protocol|http request/.test(text)) {
    return secure ? `the server at ${url} does not speak TLS on that port: use ${url.replace(/^https:/, 'http:')}` : undefined;
  }
  if (secure && /disconnected before secure tls connection was established/.test(text)) {
    return `the server at ${url} closed the connection during the TLS handshake: it may not speak TLS on that port: use ${url.replace(/^https:/, 'http:')}`;
  }
  if (UNTRUSTED.has(code)) return `the server's certificate is not signed by a CA this client trusts (${code}): pass the CA certificate as tls.ca`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `the server's certificate is not valid for host ${hostOf(url)}: connect by a name or address the certificate lists, or set tls.servername`;
  if (code === 'CERT_HAS_EXPIRED') return "the server's certificate has expired";
  if (code === 'CERT_NOT_YET_VALID') return "the server's certificate is not valid yet (check the clocks)";
  if (/certificate required|tlsv13 alert certificate required|alert bad certificate|sslv3 alert bad certificate/.test(text) || code === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED') {
    return 'the server requires a client certificate (mutual TLS) and got none it accepts: pass tls.cert and tls.key';
  }
  if (/handshake failure/.test(text)) return 'the TLS handshake failed: the server may require a client certificate (pass tls.cert and tls.key) or share no cipher with this client';
  if (code === 'ECONNREFUSED') return `nothing accepts connections at ${url}: is the JobManager up, and is this its REST port?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host name ${hostOf(url)} cannot be resolved`;
  if (!secure && (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') && /other side closed|socket hang up/.test(text)) {
    return `the server closed the connection: if it serves TLS, use ${url.replace(/^http:/, 'https:')}`;
  }
  // Under TLS 1.3 a server that wants a client certificate refuses it after the client finished its
  // handshake: the alert often loses the race with the close, and all the client sees is the close.
  if (secure && (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') && /other side closed|socket hang up/.test(text)) {
    return 'the server closed the TLS connection before answering: if it requires a client certificate (mutual TLS), pass tls.cert and tls.key';
  }
  return undefined;
}

function messagesOf(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const m = (e as { message?: unknown }).message;
    if (typeof m === 'string') parts.push(m);
  }
  return parts.join(' | ');
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
