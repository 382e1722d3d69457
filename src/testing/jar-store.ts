import type { SchedulingClock } from './clock.js';
import type { IdSource } from './ids.js';
import { readJar } from './jar-file.js';
import { chain, internalServerError, type SimFailure } from './java.js';
import type { ProgramRegistry } from './programs.js';
import type { SimulatedJar } from './state.js';

/** An uploaded jar. @internal */
export class JarRecord implements SimulatedJar {
  constructor(
    readonly id: string,
    readonly name: string,
    readonly uploaded: number,
    readonly mainClass: string | undefined,
    readonly classes: readonly string[],
    readonly size: number,
  ) {}
}

/** The frames of Flink's JarHandlerUtils in the jar routes' stack traces. @internal */
export const JAR_FRAMES = [
  'org.apache.flink.runtime.webmonitor.handlers.utils.JarHandlerUtils$JarHandlerContext.toPackagedProgram(JarHandlerUtils.java:197)',
  'org.apache.flink.runtime.webmonitor.handlers.utils.JarHandlerUtils$JarHandlerContext.applyToConfiguration(JarHandlerUtils.java:166)',
  'org.apache.flink.runtime.webmonitor.handlers.JarRunHandler.handleRequest(JarRunHandler.java:100)',
  'org.apache.flink.runtime.rest.handler.AbstractRestHandler.respondToRequest(AbstractRestHandler.java:83)',
  'org.apache.flink.runtime.rest.handler.AbstractHandler.respondAsLeader(AbstractHandler.java:196)',
  'java.base/java.lang.Thread.run(Thread.java:840)',
];

/** The uploaded jars of a cluster, by id (`<uuid>_<file name>`, as Flink names them). @internal */
export class JarStore extends Map<string, JarRecord> {
  readonly #deps: { clock: SchedulingClock; ids: IdSource; programs: ProgramRegistry; uploadDir: string };

  constructor(deps: { clock: SchedulingClock; ids: IdSource; programs: ProgramRegistry; uploadDir: string }) {
    super();
    this.#deps = deps;
  }

  /** `web.upload.dir/flink-web-upload`, where Flink stores uploaded jars. */
  get webUploadDir(): string {
    return `${this.#deps.uploadDir.replace(/\/+$/, '')}/flink-web-upload`;
  }

  /** Stores a jar; its entry class comes from the manifest, else from a program registered for the file name. */
  upload(fileName: string, bytes: Uint8Array): JarRecord {
    const { clock, ids, programs } = this.#deps;
    const contents = readJar(bytes);
    const mainClass = contents.mainClass ?? programs.entryClassForJarName(fileName);
    const jar = new JarRecord(`${ids.uuid()}_${fileName}`, fileName, clock.now(), mainClass, contents.classes, bytes.byteLength);
    this.set(jar.id, jar);
    return jar;
  }

  /** Flink's 500 for a jar id it does not have. */
  notFound(jarId: string): SimFailure {
    const message = `Jar file ${this.webUploadDir}/${jarId} does not exist`;
    return {
      ok: false,
      status: 500,
      body: internalServerError(
        chain(
          { className: 'java.util.concurrent.CompletionException', message: `org.apache.flink.runtime.rest.handler.RestHandlerException: ${message}`, frames: JAR_FRAMES },
          { className: 'org.apache.flink.runtime.rest.handler.RestHandlerException', message, frames: JAR_FRAMES },
        ),
      ),
    };
  }
}
