/**
 * Local stand-ins for the AWS services SecureTask's functions call, one folder per service, each
 * answering the real AWS SDK on loopback with the service's own shapes and errors, and knowing
 * nothing of SecureTask: what they serve comes in as options. See README.md.
 */
export { startDynamoDBLocal, JavaMissingError, type DynamoDBLocalHandle } from './dynamodb/dynamodb-local.ts';
export { createTables, type TableDefinition } from './dynamodb/tables.ts';
export { startStreamPoller, type StreamPoller, type StreamPollerOptions } from './streams/streams.ts';
export { startLocalLambda, type LocalFunction, type LocalLambda } from './lambda/lambda.ts';
export { createAsyncInvoker, type AsyncInvoker, type AsyncInvokerOptions, type OnFailureRecord } from './lambda/async-invoke.ts';
export { startLocalS3 } from './s3/s3.ts';
export { startLocalSes } from './ses/ses.ts';
export { listOutbox, OutboxError, readOutboxMessage, renderOutboxMessage, renderOutboxPage } from './ses/outbox.ts';
export { startLocalSns, type LocalSns, type LocalSnsOptions } from './sns/sns.ts';
export { startLocalRekognition, type LocalRekognition, type LocalRekognitionOptions } from './rekognition/rekognition.ts';
export { startLocalTextract, type LocalTextract } from './textract/textract.ts';
export { startDynamoDBAccessCheck, type DynamoDBAccessCheck } from './dynamodb/access-check.ts';
export { Principals, type AccessControl, type Authorization, type AccessRequest, type PolicyStatement, type Principal } from './iam/index.ts';
export { assertFfmpegPresent, FfmpegMissingError } from './rekognition/liveness/video-frames.ts';
export { startLocalSts, type LocalRole, type LocalSts } from './sts/sts.ts';
export { authenticateSignedRequest, type Authentication, type PrincipalLookup, type SigningPrincipal } from './sigv4/principal.ts';
