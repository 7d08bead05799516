import './xray-mode.ts';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { serviceOf, type Logger } from './logger.ts';

/** The Lambda context, as Powertools reads it, and the time left (the local runtime passes the same fields). */
export type LambdaContext = Parameters<Logger['addContext']>[0] & { getRemainingTimeInMillis(): number };

/**
 * The process's X-Ray tracer (Powertools). It is on in AWS (the stack turns on active tracing)
 * and off elsewhere, where every call is a no-op; `captureAWSv3Client` gives each AWS call its
 * own subsegment.
 */
export const tracer = new Tracer();

/**
 * A Lambda entry point with the observability every function has: its logger gets the
 * invocation (request id, function, cold start) and a fresh debug-sampling decision; in AWS the
 * invocation is an X-Ray subsegment annotated with the service and cold start, errors attached,
 * results never (they carry tokens and URLs). What the handler does is left to it. Context is
 * optional so tests and the local runtime's schedulers can call handlers plainly.
 */
export function observe<E, R>(log: Logger, handler: (event: E, context?: LambdaContext) => Promise<R>): (event: E, context?: LambdaContext) => Promise<R> {
  const service = new Tracer({ serviceName: serviceOf(log) });
  return async (event, context) => {
    if (context) log.addContext(context);
    log.refreshSampleRateCalculation();
    const segment = service.isTracingEnabled() ? service.getSegment() : undefined;
    const subsegment = segment?.addNewSubsegment(`## ${serviceOf(log)}`);
    if (subsegment) {
      service.setSegment(subsegment);
      service.annotateColdStart();
      service.addServiceNameAnnotation();
    }
    try {
      return await handler(event, context);
    } catch (error) {
      if (subsegment && error instanceof Error) service.addErrorAsMetadata(error);
      throw error;
    } finally {
      if (segment && subsegment) {
        subsegment.close();
        service.setSegment(segment);
      }
    }
  };
}
