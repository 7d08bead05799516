/** A variable the deployment (CDK or the local runtime) must have set; a clear error if not. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
