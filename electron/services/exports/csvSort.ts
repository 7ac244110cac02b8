import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { scratchFolder, type ScratchFile } from './files.js';

/**
 * The CSV's lines put back in session-time order after being formatted in storage order: an
 * external merge sort whose runs wait in scratch files encrypted under a key held only in memory
 * (files.ts, scratchFolder), so no plain clinic record touches the disk. A selection that fits in
 * one run never writes a file.
 *
 * Lines are kept as UTF-8 bytes in one buffer per run, not as strings: strings that live until
 * their run is written grow V8's heap by the size of the run many times over before it is
 * collected, and would be encoded on the way out anyway. Only the keys stay strings.
 */

/** SQLite's BINARY order of two texts (their UTF-8 bytes, i.e. code points). */
function codePointOrder(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

// JavaScript compares UTF-16 units, which agrees with code point order unless both texts hold
// characters past U+D7FF; session ids and times never do, but the order must be SQLite's.
const WIDE = /[\ud800-\uffff]/;

function order(a: string, b: string, wide: boolean): number {
  if (a === b) return 0;
  if (wide) return codePointOrder(a, b);
  return a < b ? -1 : 1;
}

/** A line's place: ordered by (performed_at, id), as `ORDER BY s.performed_at, s.id` orders them. */
interface Key {
  at: string;
  id: string;
  wide: boolean;
}

function compareKeys(a: Key, b: Key): number {
  const wide = a.wide && b.wide;
  return order(a.at, b.at, wide) || order(a.id, b.id, wide);
}

/** A line ready to be written: its bytes are `buf[start, end)`; the number goes at `cut` (-1: none). */
export interface SortedLine extends Key {
  /** The rowid of the course the number counts in (meaningful only when `cut` >= 0). */
  course: number;
  buf: Buffer;
  start: number;
  cut: number;
  end: number;
}

/** Run file record header: line bytes, cut (0xffffffff: none), course, then the byte lengths of at and id. */
const HEADER = 4 + 4 + 4 + 2 + 2;
const NO_CUT = 0xffffffff;
/** Far above any session's line (text fields are bounded by the contract). */
const MAX_LINE_BYTES = 64 * 1024 * 1024;
const CHUNK = 1 << 20;
/** Bytes read from a run file at a time (read ahead): fifty runs of a 100k-client clinic hold little. */
const READ_CHUNK = 64 * 1024;

/** Reads the lines of one run file back in order, a chunk at a time. */
class RunReader {
  head: SortedLine | null = null;
  private buf = Buffer.alloc(0);
  private pos = 0;
  private ended = false;
  private readonly chunks: AsyncIterator<Buffer>;

  constructor(file: ScratchFile) {
    this.chunks = (file.createReadStream(READ_CHUNK) as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  /** The next line from what is buffered; false when more must be read first. */
  private parse(): boolean {
    const b = this.buf;
    const p = this.pos;
    if (b.length - p < HEADER) return false;
    const lineBytes = b.readUInt32LE(p);
    const cut = b.readUInt32LE(p + 4);
    const course = b.readUInt32LE(p + 8) - 1; // stored plus one: 0 is no course
    const atBytes = b.readUInt16LE(p + 12);
    const idBytes = b.readUInt16LE(p + 14);
    const keys = p + HEADER;
    const start = keys + atBytes + idBytes;
    const end = start + lineBytes;
    // A header no writer of ours made (the file's tag, checked at its end, would fail too): stop here
    // rather than wait for gigabytes that will never come.
    if (lineBytes > MAX_LINE_BYTES) throw new Error('A sorted run of the CSV export is damaged.');
    if (end > b.length) return false;
    const at = b.toString('utf8', keys, keys + atBytes);
    const id = b.toString('utf8', keys + atBytes, keys + atBytes + idBytes);
    this.head = {
      at,
      id,
      wide: WIDE.test(at) || WIDE.test(id),
      course,
      buf: b,
      start,
      cut: cut === NO_CUT ? -1 : start + cut,
      end,
    };
    this.pos = end;
    return true;
  }

  /** Moves `head` to the next line (null at the end of the run). */
  advance(): Promise<void> | void {
    if (this.parse()) return;
    return this.refill();
  }

  private async refill(): Promise<void> {
    for (;;) {
      if (this.ended) {
        if (this.pos < this.buf.length)
          throw new Error('A sort run of the CSV export ends part-way through a line.');
        this.head = null;
        return;
      }
      const next = await this.chunks.next();
      if (next.done) this.ended = true;
      else this.buf = Buffer.concat([this.buf.subarray(this.pos), next.value]);
      if (!next.done) this.pos = 0;
      if (this.parse()) return;
    }
  }

  async close(): Promise<void> {
    await this.chunks.return?.();
  }
}

/** The run still in memory, read in place. */
class MemoryReader {
  head: SortedLine | null = null;
  private i = 0;
  constructor(private readonly lines: SortedLine[]) {}
  advance(): void {
    this.head = this.i < this.lines.length ? this.lines[this.i++]! : null;
  }
  close(): void {}
}

type Reader = RunReader | MemoryReader;

/** Restores the min-heap of readers (by their head line) from `i` down. */
function heapDown(heap: Reader[], i: number): void {
  const n = heap.length;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < n && compareKeys(heap[l]!.head!, heap[m]!.head!) < 0) m = l;
    if (r < n && compareKeys(heap[r]!.head!, heap[m]!.head!) < 0) m = r;
    if (m === i) return;
    [heap[i], heap[m]] = [heap[m]!, heap[i]!];
    i = m;
  }
}

/**
 * Collects lines in any order and gives them back sorted. A run holds up to `runBytes` of lines in
 * memory; a full run is sorted and written, encrypted, into a file of a folder made in
 * `scratchParent` (0700, files 0600), which `dispose` removes.
 */
export function lineSorter(scratchParent: string, runBytes: number) {
  let run = Buffer.allocUnsafe(runBytes);
  let used = 0;
  let lines: SortedLine[] = [];
  let dir: string | null = null;
  let scratch: ReturnType<typeof scratchFolder> | null = null;
  const runs: ScratchFile[] = [];

  /** The run file being written in the background, and what became of it. */
  let writing: Promise<unknown> = Promise.resolve(null);

  async function written(): Promise<void> {
    const failure = await writing;
    if (failure) throw failure;
  }

  /**
   * Sorts the run and hands it to its file, then lets the caller go on while the file is written
   * (the next run, or the merge, waits for it): a wait for the disk after every chunk was most of
   * the export's time on a busy machine.
   */
  async function writeRun(): Promise<void> {
    await written();
    if (!scratch) {
      await fs.promises.mkdir(scratchParent, { recursive: true });
      dir = path.join(scratchParent, `.csv-sort-${crypto.randomBytes(8).toString('hex')}`);
      await fs.promises.mkdir(dir, { mode: 0o700 });
      scratch = scratchFolder(dir);
    }
    lines.sort(compareKeys);
    const file = scratch.file(`run-${runs.length}`);
    const out = file.createWriteStream();
    const done = finished(out);
    let chunk = Buffer.allocUnsafe(CHUNK);
    let n = 0;
    for (const l of lines) {
      const size = HEADER + 3 * (l.at.length + l.id.length) + (l.end - l.start);
      if (n + size > chunk.length) {
        if (n > 0) out.write(chunk.subarray(0, n));
        chunk = Buffer.allocUnsafe(Math.max(CHUNK, size));
        n = 0;
      }
      const keys = n + HEADER;
      const atBytes = chunk.write(l.at, keys);
      const idBytes = chunk.write(l.id, keys + atBytes);
      chunk.writeUInt32LE(l.end - l.start, n);
      chunk.writeUInt32LE(l.cut < 0 ? NO_CUT : l.cut - l.start, n + 4);
      chunk.writeUInt32LE(l.course + 1, n + 8);
      chunk.writeUInt16LE(atBytes, n + 12);
      chunk.writeUInt16LE(idBytes, n + 14);
      n = keys + atBytes + idBytes;
      n += l.buf.copy(chunk, n, l.start, l.end);
    }
    out.end(chunk.subarray(0, n));
    writing = done.then(
      () => null,
      (err: unknown) => err,
    );
    runs.push(file);
    lines = [];
    used = 0;
  }

  return {
    /** The folder of the run files, once there is one (tests look inside it). */
    get scratchDir(): string | null {
      return dir;
    },
    /**
     * Adds one line (`cut`: where in `line` its number goes, -1 for none; `course`: the rowid of
     * the course it counts in). Returns a promise when a full run is being written.
     */
    add(at: string, id: string, cut: number, course: number, line: string): Promise<void> | void {
      // At most 3 bytes of UTF-8 per UTF-16 unit.
      const room = 3 * line.length;
      let flushed: Promise<void> | undefined;
      if (used + room > run.length) {
        if (lines.length) flushed = writeRun();
        if (room > run.length) run = Buffer.allocUnsafe(room);
      }
      const add = () => {
        const start = used;
        used += run.write(line, start);
        // Where the number goes, in bytes: as many as characters before it when the line is ASCII.
        const cutAt =
          cut < 0 ? -1 : start + (used - start === line.length ? cut : Buffer.byteLength(line.slice(0, cut)));
        lines.push({
          at,
          id,
          wide: WIDE.test(at) || WIDE.test(id),
          course,
          buf: run,
          start,
          cut: cutAt,
          end: used,
        });
      };
      if (!flushed) return add();
      return flushed.then(add);
    },
    /**
     * Every line in order: `each` for each one, and `pause` awaited every `every` lines (the
     * caller writes out and yields there).
     */
    async merge(each: (l: SortedLine) => void, pause: () => Promise<void>, every: number): Promise<void> {
      await written();
      lines.sort(compareKeys);
      const readers: Reader[] = [...runs.map((f) => new RunReader(f)), new MemoryReader(lines)];
      try {
        const heap: Reader[] = [];
        for (const r of readers) {
          await r.advance();
          if (r.head) heap.push(r);
        }
        for (let i = Math.floor(heap.length / 2) - 1; i >= 0; i--) heapDown(heap, i);
        let n = 0;
        while (heap.length) {
          const top = heap[0]!;
          each(top.head!);
          const more = top.advance();
          if (more) await more;
          if (!top.head) {
            heap[0] = heap[heap.length - 1]!;
            heap.pop();
          }
          if (heap.length) heapDown(heap, 0);
          if (++n % every === 0) await pause();
        }
      } finally {
        await Promise.all(readers.map((r) => r.close()));
      }
    },
    /** Removes the run files (call in `finally`, after a failure too). */
    async dispose(): Promise<void> {
      lines = [];
      await writing;
      // Never in place of the export's own error: what stays (sealed runs whose key is gone) is
      // swept when the clinic next opens (files.ts, sweepStaleScratch).
      if (dir) await fs.promises.rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
    },
  };
}
