/**
 * A writer of Java's object serialization stream format (the Java Object Serialization
 * Specification, chapter 6: `ObjectOutputStream`'s protocol version 2), so the simulator can send
 * the Java-serialized values real Flink sends (a `SerializedThrowable` in `failure-cause`) and
 * Flink's own Java clients can read them. Writing only: nothing in flink-client reads this format.
 *
 * The object model is explicit: a {@link JavaClass} names a class as the stream describes it
 * (name, `serialVersionUID`, flags, serializable fields, superclass) and a {@link JavaObject}
 * gives a value to every field of its class chain. Handles and back references are assigned as
 * `ObjectOutputStream` assigns them (class descriptors, strings, arrays and objects each take
 * the next handle; a class descriptor or type string seen before is written as a reference).
 * @internal
 */

/** `ObjectStreamConstants.SC_WRITE_METHOD`: the class has a `writeObject` method. @internal */
export const SC_WRITE_METHOD = 0x01;
/** `ObjectStreamConstants.SC_SERIALIZABLE`. @internal */
export const SC_SERIALIZABLE = 0x02;

const STREAM_MAGIC = 0xaced;
const STREAM_VERSION = 5;
const TC_NULL = 0x70;
const TC_REFERENCE = 0x71;
const TC_CLASSDESC = 0x72;
const TC_OBJECT = 0x73;
const TC_STRING = 0x74;
const TC_ARRAY = 0x75;
const TC_ENDBLOCKDATA = 0x78;
const TC_LONGSTRING = 0x7c;
const BASE_WIRE_HANDLE = 0x7e0000;

/** A serializable field: its name and JVM type descriptor (`I`, `B`, `Ljava/lang/String;`, `[B`). @internal */
export interface JavaField {
  readonly name: string;
  readonly type: string;
}

/** A class as a serialization stream describes it. @internal */
export interface JavaClass {
  /** The binary name (`java.lang.Throwable`, `[Ljava.lang.StackTraceElement;`, `[B`). */
  readonly name: string;
  /** As a signed or unsigned 64-bit number (`0xd5c635273977b8cbn` = `-3042686055658047285n`). */
  readonly serialVersionUID: bigint;
  /** `SC_*` flags; {@link SC_SERIALIZABLE} at least. */
  readonly flags: number;
  /** Its own serializable (non-static, non-transient) fields, in any order. */
  readonly fields: readonly JavaField[];
  readonly superClass?: JavaClass;
}

/** An instance: a value for every field of its class and its superclasses, by field name. @internal */
export interface JavaObject {
  readonly kind: 'object';
  readonly javaClass: JavaClass;
  readonly values: Readonly<Record<string, JavaValue>>;
  /**
   * What the `writeObject` method of a class (by class name, flag {@link SC_WRITE_METHOD}) writes
   * with `writeObject` after `defaultWriteObject()`.
   */
  readonly written?: Readonly<Record<string, readonly JavaValue[]>>;
}

/** An array: `byte[]` as bytes, any other array as its elements. @internal */
export interface JavaArray {
  readonly kind: 'array';
  readonly javaClass: JavaClass;
  readonly elements: Uint8Array | readonly JavaValue[];
}

/** A value in a serialization stream: null, a `String`, an object, an array or a primitive. @internal */
export type JavaValue = null | string | number | bigint | boolean | JavaObject | JavaArray;

/** Makes a {@link JavaObject}. @internal */
export function javaObject(javaClass: JavaClass, values: Record<string, JavaValue>, written?: Record<string, readonly JavaValue[]>): JavaObject {
  return written ? { kind: 'object', javaClass, values, written } : { kind: 'object', javaClass, values };
}

/** Makes a {@link JavaArray}. @internal */
export function javaArray(javaClass: JavaClass, elements: Uint8Array | readonly JavaValue[]): JavaArray {
  return { kind: 'array', javaClass, elements };
}

/** The class of `byte[]`. @internal */
export const BYTE_ARRAY: JavaClass = { name: '[B', serialVersionUID: 0xacf317f8060854e0n, flags: SC_SERIALIZABLE, fields: [] };

const PRIMITIVES = 'BCDFIJSZ';

/** Fields in stream order: primitives first, then objects, each sorted by name (`ObjectStreamClass`). */
function streamOrder(fields: readonly JavaField[]): JavaField[] {
  const primitive = (f: JavaField): boolean => PRIMITIVES.includes(f.type);
  return [...fields].sort((a, b) => (primitive(a) === primitive(b) ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : primitive(a) ? -1 : 1));
}

/**
 * Java's modified UTF-8 (`DataOutput.writeUTF`): U+0000 as two bytes, supplementary characters
 * as two three-byte surrogates.
 */
function modifiedUtf8(text: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x01 && c <= 0x7f) out.push(c);
    else if (c <= 0x7ff) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Buffer.from(out);
}

class StreamWriter {
  readonly #chunks: Buffer[] = [];
  readonly #handles = new Map<object, number>();
  readonly #strings = new Map<string, number>();
  #next = BASE_WIRE_HANDLE;

  bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  u8(...values: number[]): void {
    this.#chunks.push(Buffer.from(values));
  }

  u16(value: number): void {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(value);
    this.#chunks.push(b);
  }

  i32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32BE(value);
    this.#chunks.push(b);
  }

  i64(value: bigint): void {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt.asIntN(64, value));
    this.#chunks.push(b);
  }

  utf(text: string): void {
    const bytes = modifiedUtf8(text);
    if (bytes.length > 0xffff) throw new RangeError(`Java serialization: a UTF string of ${bytes.length} bytes is too long`);
    this.u16(bytes.length);
    this.#chunks.push(bytes);
  }

  #assign(key: object): void {
    this.#handles.set(key, this.#next++);
  }

  #reference(handle: number): void {
    this.u8(TC_REFERENCE);
    this.i32(handle);
  }

  string(text: string): void {
    const seen = this.#strings.get(text);
    if (seen !== undefined) return this.#reference(seen);
    const bytes = modifiedUtf8(text);
    if (bytes.length <= 0xffff) {
      this.u8(TC_STRING);
      this.u16(bytes.length);
    } else {
      this.u8(TC_LONGSTRING);
      this.i64(BigInt(bytes.length));
    }
    this.#strings.set(text, this.#next++);
    this.#chunks.push(bytes);
  }

  classDesc(c: JavaClass | undefined): void {
    if (!c) return this.u8(TC_NULL);
    const seen = this.#handles.get(c);
    if (seen !== undefined) return this.#reference(seen);
    this.u8(TC_CLASSDESC);
    this.utf(c.name);
    this.i64(c.serialVersionUID);
    this.#assign(c);
    this.u8(c.flags);
    const fields = streamOrder(c.fields);
    this.u16(fields.length);
    for (const f of fields) {
      this.u8(f.type.charCodeAt(0));
      this.utf(f.name);
      if (!PRIMITIVES.includes(f.type)) this.string(f.type);
    }
    // No class annotation (no `annotateClass` data), then the superclass.
    this.u8(TC_ENDBLOCKDATA);
    this.classDesc(c.superClass);
  }

  value(v: JavaValue): void {
    if (v === null) return this.u8(TC_NULL);
    if (typeof v === 'string') return this.string(v);
    if (typeof v !== 'object') throw new TypeError(`Java serialization: a ${typeof v} is no object (a primitive belongs in a field)`);
    const seen = this.#handles.get(v);
    if (seen !== undefined) return this.#reference(seen);
    if (v.kind === 'array') return this.#array(v);
    this.u8(TC_OBJECT);
    this.classDesc(v.javaClass);
    this.#assign(v);
    const chain: JavaClass[] = [];
    for (let c: JavaClass | undefined = v.javaClass; c; c = c.superClass) chain.unshift(c);
    for (const c of chain) {
      const fields = streamOrder(c.fields);
      for (const f of fields) this.#field(f, v.values[f.name], c);
      // A class with writeObject: defaultWriteObject's fields, the objects it writes, a block end.
      if (c.flags & SC_WRITE_METHOD) {
        for (const extra of v.written?.[c.name] ?? []) this.value(extra);
        this.u8(TC_ENDBLOCKDATA);
      }
    }
  }

  #array(a: JavaArray): void {
    this.u8(TC_ARRAY);
    this.classDesc(a.javaClass);
    this.#assign(a);
    this.i32(a.elements.length);
    if (a.elements instanceof Uint8Array) {
      if (a.javaClass.name !== '[B') throw new TypeError(`Java serialization: bytes given for ${a.javaClass.name}`);
      this.#chunks.push(Buffer.from(a.elements));
      return;
    }
    if (PRIMITIVES.includes(a.javaClass.name.slice(1))) throw new TypeError(`Java serialization: only byte[] of the primitive arrays is supported, not ${a.javaClass.name}`);
    for (const e of a.elements) this.value(e);
  }

  #field(f: JavaField, v: JavaValue | undefined, owner: JavaClass): void {
    const what = `${owner.name}.${f.name}`;
    switch (f.type) {
      case 'B':
        return this.u8(Number(v ?? 0) & 0xff);
      case 'Z':
        return this.u8(v ? 1 : 0);
      case 'C':
      case 'S':
        return this.u16(Number(v ?? 0) & 0xffff);
      case 'I':
        return this.i32(Number(v ?? 0) | 0);
      case 'J':
        return this.i64(BigInt(v as number | bigint | undefined ?? 0));
      case 'F': {
        const b = Buffer.alloc(4);
        b.writeFloatBE(Number(v ?? 0));
        return void this.#chunks.push(b);
      }
      case 'D': {
        const b = Buffer.alloc(8);
        b.writeDoubleBE(Number(v ?? 0));
        return void this.#chunks.push(b);
      }
      default:
        if (v !== undefined && v !== null && typeof v !== 'string' && typeof v !== 'object') throw new TypeError(`Java serialization: ${what} needs an object, got a ${typeof v}`);
        return this.value(v ?? null);
    }
  }
}

/**
 * Serializes one value as `ObjectOutputStream.writeObject` would: the stream header, then the
 * value with every class descriptor it needs.
 *
 * @throws TypeError when a value does not fit its field or array type.
 * @throws RangeError when a class or field name is longer than 65 535 bytes of UTF-8.
 * @example
 * ```ts
 * const bytes = serializeJava(javaObject(MY_CLASS, { name: 'x' }));
 * ```
 * @internal
 */
export function serializeJava(value: JavaValue): Buffer {
  const w = new StreamWriter();
  w.u16(STREAM_MAGIC);
  w.u16(STREAM_VERSION);
  w.value(value);
  return w.bytes();
}
