// Splits a byte stream into lines for watch streams (one JSON event per line, as kube-apiserver's
// JSON watch encoder writes them). Chunks may end anywhere, also inside a multi-byte UTF-8 character:
// lines are cut at the newline byte and only then decoded. A line longer than the limit is an error
// (an explicit bound on what one event may buffer).
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

export class LineTooLongError extends Error {
  constructor(readonly maxLineBytes: number) {
    super(`watch event longer than ${maxLineBytes} bytes`);
    this.name = "LineTooLongError";
  }
}

export class LineDecoder {
  readonly maxLineBytes: number;
  #parts: Buffer[] = [];
  #bytes = 0;
  readonly #utf8 = new TextDecoder("utf-8");

  constructor(maxLineBytes: number = DEFAULT_MAX_LINE_BYTES) {
    this.maxLineBytes = maxLineBytes;
  }

  /** The complete, non-blank lines the chunk finishes (without "\n" or a trailing "\r"). */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let nl = buf.indexOf(0x0a); nl >= 0; nl = buf.indexOf(0x0a)) {
      this.#append(buf.subarray(0, nl));
      this.#emit(lines);
      buf = buf.subarray(nl + 1);
    }
    if (buf.length > 0) this.#append(Buffer.from(buf)); // copied: the caller may reuse its chunk
    return lines;
  }

  /** At the end of the stream: the last line if it had no newline. */
  end(): string[] {
    const lines: string[] = [];
    this.#emit(lines);
    return lines;
  }

  #append(part: Buffer): void {
    if (this.#bytes + part.length > this.maxLineBytes) {
      this.#parts = [];
      this.#bytes = 0;
      throw new LineTooLongError(this.maxLineBytes);
    }
    if (part.length === 0) return;
    this.#parts.push(part);
    this.#bytes += part.length;
  }

  #emit(lines: string[]): void {
    const whole = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts);
    this.#parts = [];
    this.#bytes = 0;
    const line = this.#utf8.decode(whole).replace(/\r$/, "");
    if (line.trim() !== "") lines.push(line);
  }
}
