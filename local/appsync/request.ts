/** A request as it reached the runtime, whichever transport carried it, before anything was checked. */
export interface IncomingRequest {
  method: string;
  host: string;
  path: string;
  query?: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string;
  sourceIp: string;
}
