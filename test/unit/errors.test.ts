import { describe, expect, it } from 'vitest';
import { MailerError } from '../../functions/shared/mailer.ts';
import { ObjectTooLargeError } from '../../functions/shared/uploads.ts';
import { LivenessError } from '../../functions/verification/liveness/liveness.ts';
import { LambdaInvocationError } from '../../local/aws/lambda/invoke.ts';
import { FfmpegMissingError } from '../../local/aws/rekognition/liveness/video-frames.ts';
import { OutboxError } from '../../local/aws/ses/outbox.ts';
import { SecureTaskError } from '../../lib/errors.ts';

describe('one error base', () => {
  it('every kind is a SecureTaskError with its stable code and its own name, from functions and emulators alike', () => {
    const errors = [
      new MailerError('REJECTED', 'refused'),
      new ObjectTooLargeError('bucket', 'key', 10, 11),
      new LambdaInvocationError('Lambda:Timeout', 'Task timed out after 1 seconds'),
      new OutboxError('NOT_FOUND', 'no such message'),
      new LivenessError('SESSION_NOT_FOUND', 'expired and forgotten'),
      new FfmpegMissingError(),
    ];
    expect(errors.map((e) => [e instanceof SecureTaskError, e.name, e.code])).toEqual([
      [true, 'MailerError', 'REJECTED'],
      [true, 'ObjectTooLargeError', 'OBJECT_TOO_LARGE'],
      [true, 'LambdaInvocationError', 'Lambda:Timeout'],
      [true, 'OutboxError', 'NOT_FOUND'],
      [true, 'LivenessError', 'SESSION_NOT_FOUND'],
      [true, 'FfmpegMissingError', 'FFMPEG_MISSING'],
    ]);
  });
});
