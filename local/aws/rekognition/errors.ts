/**
 * Rekognition's refusals: the awsJson1_1 error shared with the other JSON stand-ins
 * (`../aws-json.ts`), whose `code` is the error's shape name (Coral's own errors carry their
 * namespace, `com.amazon.coral.service#…`, which the SDK strips).
 */
import { AwsJsonError } from '../aws-json.ts';

export { AwsJsonError as RekognitionError };

/** Rekognition's InvalidParameterException, with its usual opening words. */
export const invalidParameter = (detail: string) => new AwsJsonError('InvalidParameterException', `Request has invalid parameters: ${detail}`);
