/** A request Rekognition refuses, answered in the awsJson1_1 error shape (`__type`, `Message`). */
export class RekognitionError extends Error {
  constructor(
    /** The error's shape name; Coral's own errors carry their namespace (`com.amazon.coral.service#…`), which the SDK strips. */
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Rekognition's InvalidParameterException, with its usual opening words. */
export const invalidParameter = (detail: string) => new RekognitionError('InvalidParameterException', `Request has invalid parameters: ${detail}`);
