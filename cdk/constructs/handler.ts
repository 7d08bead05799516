import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledge } from '../acknowledge.ts';
import type { LoggingSettings } from '../config.ts';

/**
 * How every handler is built: esbuild from node_modules (no Docker), ESM for Node 22 on
 * Graviton, minified. The AWS SDK is bundled, not taken from the runtime, so AWS runs the
 * SDK version the handlers were tested with offline (checksum defaults changed in 2025). The
 * source map stays inside the function's own code package, where only the function reads it.
 * `nativeModules` stay out of the bundle and are installed beside it, at the version this
 * project locks, with the binaries for Linux on arm64 (npm picks them by --os/--cpu/--libc).
 */
export function handlerBundling(nativeModules: readonly string[] = [], projectRoot = process.cwd()): nodejs.BundlingOptions {
  const packages = nativeModules.map((name) => `${name}@${lockedVersion(projectRoot, name)}`);
  return {
    format: nodejs.OutputFormat.ESM,
    target: 'node22',
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    bundleAwsSDK: true,
    mainFields: ['module', 'main'],
    // CommonJS dependencies inside an ES module still call require().
    banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
    forceDockerBundling: false,
    externalModules: nativeModules.length ? [...nativeModules] : undefined,
    commandHooks: packages.length
      ? {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_input: string, output: string) => [
            `npm install --no-save --no-package-lock --no-audit --no-fund --omit=dev --os=linux --cpu=arm64 --libc=glibc --prefix "${output}" ${packages.join(' ')}`,
          ],
        }
      : undefined,
  };
}

/** The version of `name` installed here (what package-lock.json pins), so Lambda runs what the tests ran. */
function lockedVersion(projectRoot: string, name: string): string {
  return (JSON.parse(readFileSync(path.join(projectRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Props of {@link securetaskFunction}. */
export interface SecureTaskFunctionProps {
  /** The physical name, `<app>-<stage>-<name>`. */
  functionName: string;
  /** The service name in logs and traces (`POWERTOOLS_SERVICE_NAME`). */
  serviceName: string;
  /** The handler module (absolute path), exporting `handler`. */
  entry: string;
  projectRoot: string;
  timeoutSeconds: number;
  environment: Record<string, string>;
  logging: LoggingSettings;
  description?: string;
  /** npm packages with native code, installed beside the bundle for Lambda's platform (`FunctionDefinition.nativeModules`). */
  nativeModules?: readonly string[];
}

/**
 * One SecureTask Lambda function: Node 22 on arm64, its own log group (one month) and its own
 * role that can write that group and nothing else yet (grants come from the caller), X-Ray
 * active tracing, and the Powertools settings its Logger and Tracer read. Logs are Powertools'
 * JSON lines in Lambda's text format: Lambda's JSON format would filter by its own level and
 * drop the DEBUG lines of sampled invocations.
 */
export function securetaskFunction(scope: Construct, id: string, props: SecureTaskFunctionProps): nodejs.NodejsFunction {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    logGroupName: `/aws/lambda/${props.functionName}`,
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // Our own role instead of AWSLambdaBasicExecutionRole, whose log rights span every group.
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: props.description ?? `SecureTask ${props.serviceName} function`,
  });
  logGroup.grantWrite(role);

  const handler = new nodejs.NodejsFunction(scope, id, {
    functionName: props.functionName,
    entry: props.entry,
    handler: 'handler',
    projectRoot: props.projectRoot,
    depsLockFilePath: path.join(props.projectRoot, 'package-lock.json'),
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 256,
    timeout: Duration.seconds(props.timeoutSeconds),
    role,
    logGroup,
    loggingFormat: lambda.LoggingFormat.TEXT,
    tracing: lambda.Tracing.ACTIVE,
    environment: {
      ...props.environment,
      POWERTOOLS_SERVICE_NAME: props.serviceName,
      POWERTOOLS_LOG_LEVEL: props.logging.level,
      POWERTOOLS_LOGGER_SAMPLE_RATE: String(props.logging.debugSampleRate),
      // Responses carry session tokens and presigned URLs: traces keep errors, never results.
      POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
      NODE_OPTIONS: '--enable-source-maps',
    },
    bundling: handlerBundling(props.nativeModules, props.projectRoot),
  });
  handler.node.addDependency(logGroup);
  acknowledge(handler, {
    'AwsSolutions-L1': 'Node.js 22 on purpose: the Node the local stack and the tests run on (the node package in package.json); 24 follows when the project moves to it.',
  });
  acknowledge(role, {
    'AwsSolutions-IAM5[Resource::*]': 'X-Ray PutTraceSegments and PutTelemetryRecords (active tracing) have no resource-level permissions.',
  });
  return handler;
}
