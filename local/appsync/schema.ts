import { buildSchema, type GraphQLSchema } from 'graphql';
import { appSyncDirectiveDefinitions, appSyncScalars } from './scalars.ts';

/**
 * Builds an executable schema from an AppSync SDL file: AppSync's scalars and directives are
 * declared for it (as the service does implicitly) and the scalars validate as AppSync's do.
 */
export function loadAppSyncSchema(sdl: string): GraphQLSchema {
  const schema = buildSchema(`${appSyncDirectiveDefinitions}\n${sdl}`);
  for (const [name, scalar] of Object.entries(appSyncScalars)) {
    const declared = schema.getType(name);
    if (!declared) continue;
    // buildSchema made a placeholder scalar; give it AppSync's behaviour.
    Object.assign(declared, {
      serialize: scalar.serialize,
      parseValue: scalar.parseValue,
      parseLiteral: scalar.parseLiteral,
      description: scalar.description,
    });
  }
  return schema;
}
