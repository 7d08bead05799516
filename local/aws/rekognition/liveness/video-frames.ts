/**
 * The browser's video (WebM from MediaRecorder, or fragmented MP4 from Safari) to frames, with
 * Debian's `ffmpeg`: the chunks are written to its stdin as they arrive, and it sends back frames
 * at a reduced rate and size as PPM images (a tiny header with the size, then RGB), so decoding
 * runs while the person is still being filmed. Nothing here trusts the bytes: ffmpeg runs with no
 * network and no files, its output is bounded, and `stop()` (or any failure) kills it.
 */
import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { SecureTaskError } from '../../../../lib/errors.ts';

/** One decoded frame: RGB pixels, and where in the video it was (ms after its first frame). */
export interface VideoFrame {
  index: number;
  timeMs: number;
  width: number;
  height: number;
  data: Uint8Array;
}

/** Options of {@link startFrameDecoder}. */
export interface FrameDecoderOptions {
  /** Frames per second kept (ffmpeg's `fps` filter). */
  fps: number;
  /** Frames are scaled down to at most this width (aspect kept). */
  maxWidth: number;
  /** Decoding stops after this many frames (a long video is not decoded to its end). */
  maxFrames: number;
  /** The ffmpeg command; `ffmpeg` on PATH by default. */
  ffmpeg?: string;
  /** Called for each frame, in order. */
  onFrame: (frame: VideoFrame) => void;
}

/** How decoding ended: every frame out, or why not. */
export interface DecodeOutcome {
  frames: number;
  /** ffmpeg's own words when it could not decode the input (or the reason it was stopped). */
  error?: string;
}

/** A running decoder. */
export interface FrameDecoder {
  /** Feeds bytes of the video; ignored once stopped. */
  write(chunk: Uint8Array): void;
  /** No more bytes: ffmpeg finishes the frames it has. */
  end(): void;
  /** Resolves when ffmpeg has exited (never rejects). */
  readonly done: Promise<DecodeOutcome>;
  /** Kills ffmpeg now; `done` resolves with `reason` as the error. */
  stop(reason: string): void;
}

/** ffmpeg is not installed: the message says how to install it, in one line. */
export class FfmpegMissingError extends SecureTaskError {
  override readonly code = 'FFMPEG_MISSING';
  constructor(command = 'ffmpeg') {
    super(
      `ffmpeg is required to check Face Liveness videos offline and \`${command}\` was not found on PATH. Install it: ` +
        'sudo apt-get install -y ffmpeg (Debian/Ubuntu) or brew install ffmpeg (macOS).',
    );
  }
}

const STDERR_LIMIT = 4096;

/** Throws {@link FfmpegMissingError} when `command` (ffmpeg) cannot be run; the local stack checks at start. */
export async function assertFfmpegPresent(command = 'ffmpeg'): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    execFile(command, ['-version'], { timeout: 15_000 }, (error) => {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') reject(new FfmpegMissingError(command));
      // Anything else (an odd build printing oddly) is left for the first video to report.
      else resolve();
    });
  });
}

/** Starts ffmpeg for one video. */
export function startFrameDecoder(options: FrameDecoderOptions): FrameDecoder {
  const args = [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-threads', '1'],
    // Input from the pipe only; the protocol whitelist keeps ffmpeg off the network and the disk.
    ...['-protocol_whitelist', 'pipe', '-i', 'pipe:0'],
    ...['-an', '-sn', '-dn', '-frames:v', String(options.maxFrames)],
    // The video's last frame is held for one sampling interval, so the sampling ends on it: the
    // fps filter alone drops the frames after its last slot (up to 1/fps s), and the end is where
    // a movement challenge is decided (Amplify's component stops recording on the first frame it
    // sees the face fit the oval). Nothing is made up: the added sample is the client's own frame.
    ...['-vf', `setpts=PTS-STARTPTS,tpad=stop_mode=clone:stop_duration=${(1 / options.fps).toFixed(4)},fps=${options.fps},scale='min(iw,${options.maxWidth})':-2:flags=bilinear`],
    ...['-f', 'image2pipe', '-c:v', 'ppm', 'pipe:1'],
  ];
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn(options.ffmpeg ?? 'ffmpeg', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stopped: string | undefined;
  let stderr = '';
  let frames = 0;
  let spawnError: Error | undefined;
  child.stderr.on('data', (data: Buffer) => {
    if (stderr.length < STDERR_LIMIT) stderr += data.toString('utf8').slice(0, STDERR_LIMIT - stderr.length);
  });
  // A client that stops reading is not our problem: writes after ffmpeg gave up are dropped.
  child.stdin.on('error', () => {});
  child.on('error', (error) => (spawnError = error));

  const parser = ppmParser((width, height, data) => {
    options.onFrame({ index: frames, timeMs: (frames * 1000) / options.fps, width, height, data });
    frames++;
  });
  child.stdout.on('data', (chunk: Buffer) => {
    if (stopped) return;
    try {
      parser(chunk);
    } catch (error) {
      stop(`ffmpeg's output could not be read: ${(error as Error).message}`);
    }
  });

  const done = new Promise<DecodeOutcome>((resolve) => {
    child.on('close', (code, signal) => {
      if (spawnError) {
        const missing = (spawnError as NodeJS.ErrnoException).code === 'ENOENT';
        resolve({ frames, error: missing ? new FfmpegMissingError(options.ffmpeg).message : spawnError.message });
      } else if (stopped) resolve({ frames, error: stopped });
      else if (code !== 0) resolve({ frames, error: stderr.trim().split('\n').slice(-3).join(' ') || `ffmpeg exited with ${code ?? signal}` });
      else resolve({ frames });
    });
  });

  function stop(reason: string): void {
    if (stopped) return;
    stopped = reason;
    child.stdin.destroy();
    child.kill('SIGKILL');
  }

  return {
    write(chunk) {
      if (!stopped && child.stdin.writable) child.stdin.write(chunk);
    },
    end() {
      if (!stopped) child.stdin.end();
    },
    done,
    stop,
  };
}

/** Splits a stream of binary PPM images (`P6 <w> <h> 255` then w*h*3 bytes) into frames. */
function ppmParser(onImage: (width: number, height: number, data: Uint8Array) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(pending.subarray(0, 32).toString('latin1'));
      if (!header) {
        if (pending.length >= 32) throw new Error('not a PPM header');
        return;
      }
      const width = Number(header[1]);
      const height = Number(header[2]);
      const size = width * height * 3;
      const start = header[0].length;
      if (pending.length < start + size) return;
      onImage(width, height, new Uint8Array(pending.subarray(start, start + size)));
      pending = pending.subarray(start + size);
    }
  };
}
