import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClusterDeploymentError } from '../errors/cluster-deployment-error.js';

/** The PEM files a client needs to talk to a local TLS cluster. */
export interface LocalTlsMaterial {
  /** The throwaway CA's certificate (PEM): pass it as `tls.ca`. */
  readonly ca: string;
  /** The client certificate (PEM), signed by the CA; set for mutual TLS. */
  readonly cert: string | undefined;
  /** The client certificate's private key (PEM); set for mutual TLS. */
  readonly key: string | undefined;
}

/**
 * Makes a throwaway CA and a REST server certificate for 127.0.0.1 (and, for mutual TLS, a
 * client certificate) in `dir`, and returns the PEM a client needs plus the `security.ssl.rest.*`
 * configuration that makes Flink serve its REST API with them. openssl makes the keys and
 * certificates; keytool (from the JDK that runs Flink) makes the PKCS12 truststore Java reads.
 * The server certificate names only the IP address 127.0.0.1, so a client that connects by
 * another name is refused by its own host-name check, as it should be.
 *
 * @throws ClusterDeploymentError with code `TLS_SETUP_FAILED` when openssl or keytool is missing
 *   or fails, quoting its output.
 */
export async function createLocalTls(dir: string, options: { mutual: boolean; javaHome: string | undefined }): Promise<LocalTlsMaterial & { config: Record<string, string> }> {
  await mkdir(dir, { recursive: true });
  // The stores only protect throwaway keys in the cluster's private directory.
  const password = randomBytes(12).toString('hex');
  const keytool = options.javaHome ? join(options.javaHome, 'bin', 'keytool') : 'keytool';
  const f = (name: string): string => join(dir, name);
  const days = '7';
  await writeFile(f('server.ext'), 'basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
  await writeFile(f('client.ext'), 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');

  run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', days, '-subj', '/CN=flink-client throwaway CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  const sign = (name: string, subject: string): void => {
    run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', subject]);
    run('openssl', ['x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f(`${name}.pem`), '-days', days, '-extfile', f(`${name}.ext`)]);
  };
  sign('server', '/CN=127.0.0.1');
  run('openssl', ['pkcs12', '-export', '-in', f('server.pem'), '-inkey', f('server.key'), '-certfile', f('ca.pem'), '-name', 'flink-rest', '-out', f('rest-keystore.p12'), '-passout', `pass:${password}`]);
  run(keytool, ['-importcert', '-noprompt', '-alias', 'ca', '-file', f('ca.pem'), '-keystore', f('rest-truststore.p12'), '-storetype', 'PKCS12', '-storepass', password]);
  if (options.mutual) sign('client', '/CN=flink-client');

  const config: Record<string, string> = {
    'security.ssl.rest.enabled': 'true',
    'security.ssl.rest.keystore': f('rest-keystore.p12'),
    'security.ssl.rest.keystore-password': password,
    'security.ssl.rest.key-password': password,
    'security.ssl.rest.keystore-type': 'PKCS12',
    'security.ssl.rest.truststore': f('rest-truststore.p12'),
    'security.ssl.rest.truststore-password': password,
    'security.ssl.rest.truststore-type': 'PKCS12',
    'security.ssl.rest.authentication-enabled': String(options.mutual),
  };
  return {
    ca: await readFile(f('ca.pem'), 'utf8'),
    cert: options.mutual ? await readFile(f('client.pem'), 'utf8') : undefined,
    key: options.mutual ? await readFile(f('client.key'), 'utf8') : undefined,
    config,
  };
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  if (result.error || result.status !== 0) {
    const output = `${result.stderr ?? ''}${result.stdout ?? ''}`.split('\n').filter((l) => l.trim()).slice(-5);
    throw new ClusterDeploymentError({
      reason: 'TLS_SETUP_FAILED',
      message: `could not make the TLS material: ${command} ${args[0]} ${result.error ? `failed to start (${result.error.message}); is it installed?` : `exited with ${result.status}`}`,
      logExcerpt: output,
      cause: result.error,
    });
  }
}
