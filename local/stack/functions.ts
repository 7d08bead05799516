import path from 'node:path';
import type { SecureTaskConfig } from '../../api/config.ts';
import { functionEnvironment, usesTokenKeys, type DeploymentValues } from '../../api/environment.ts';
import type { ApiDefinition } from '../../api/types.ts';
import { startLocalLambda, type LocalFunction, type LocalLambda } from '../aws/index.ts';

/** What only this machine knows about where the functions' services are. */
export interface LocalDeployment extends DeploymentValues {
  /** Each function's AWS credentials, its own role's, so its calls are signed and checked against its grants as in AWS. */
  credentialsOf(name: string): { accessKeyId: string; secretAccessKey: string };
  /** `AWS_ENDPOINT_URL_<SERVICE>` of the local stand-ins (DYNAMODB, S3, SESV2, REKOGNITION, STS, TEXTRACT, SNS). */
  endpoints: Record<string, string>;
  /** The local key folder, where AWS has KMS (`TOKEN_KEYS_DIR`). */
  keysDir: string;
}

/** The description's functions on the local Lambda. */
export interface LocalFunctions {
  /** Invokes a function by its name in the description; waits for `start` if it has not finished. */
  invoke(name: string, event: unknown): Promise<unknown>;
  /** Runs `work` with function `name`'s environment and credentials (tests that call function code directly). */
  runAs<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** Starts them once everything their environment names is known (the API's URL, SNS's endpoint). */
  start(deployment: LocalDeployment): Promise<void>;
}

/**
 * Every function of the description with the environment CDK gives it in AWS
 * (`functionEnvironment`), plus what Lambda itself provides (region, credentials) and the
 * endpoints that point its AWS SDK at the local stand-ins.
 */
export function localFunctions(options: { projectRoot: string; api: ApiDefinition; config: SecureTaskConfig; accountId: string }): LocalFunctions {
  const { api, config } = options;
  let started: (lambda: LocalLambda) => void;
  let failed: (error: unknown) => void;
  const lambda = new Promise<LocalLambda>((resolve, reject) => ((started = resolve), (failed = reject)));
  lambda.catch(() => undefined); // reported by start()

  return {
    invoke(name, event) {
      if (!api.functions[name]) throw new Error(`no function named "${name}" in the API description`);
      return lambda.then((running) => running.invoke(name, event));
    },
    runAs(name, work) {
      return lambda.then((running) => running.runAs(name, work));
    },
    async start(deployment) {
      const functions: Record<string, LocalFunction> = {};
      for (const [name, fn] of Object.entries(api.functions)) {
        functions[name] = {
          entry: path.join(options.projectRoot, fn.entry),
          functionName: `${api.name}-${name}`,
          timeoutSeconds: fn.timeoutSeconds ?? 10,
          environment: {
            AWS_REGION: config.region,
            AWS_ACCESS_KEY_ID: deployment.credentialsOf(name).accessKeyId,
            AWS_SECRET_ACCESS_KEY: deployment.credentialsOf(name).secretAccessKey,
            ...Object.fromEntries(Object.entries(deployment.endpoints).map(([service, url]) => [`AWS_ENDPOINT_URL_${service}`, url])),
            ...(usesTokenKeys(api, name) ? { TOKEN_KEYS_DIR: deployment.keysDir } : {}),
            ...functionEnvironment(api, config, name, deployment),
          },
        };
      }
      try {
        started(await startLocalLambda({ functions, region: config.region, accountId: options.accountId }));
      } catch (error) {
        failed(error);
        throw error;
      }
    },
  };
}
