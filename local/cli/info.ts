import { runningStack } from './running-stack.ts';
import { projectDataDir, shown } from './project.ts';

/** `securetask info`: where the running local stack is. */
export async function info(options: { json?: boolean }): Promise<number> {
  const { graphqlUrl, realtimeUrl, apiKey, region, dataDir, certificateFile, awsEndpoints, iamCredentialsFile } = await runningStack(projectDataDir());
  if (options.json) {
    console.log(JSON.stringify({ graphqlUrl, realtimeUrl, apiKey, region, dataDir, certificateFile, awsEndpoints, iamCredentialsFile }, null, 2));
    return 0;
  }
  console.log(`GraphQL     ${graphqlUrl}
Real time   ${realtimeUrl}
API key     ${apiKey}
Region      ${region}
Data        ${shown(dataDir)}
TLS         the same URLs as https:// and wss:// with the certificate ${shown(certificateFile)}`);
  return 0;
}
