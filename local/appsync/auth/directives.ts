import { isObjectType, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import type { AuthModeType } from './authenticate.ts';

/** AppSync's auth directives and the mode each one opens. */
const DIRECTIVE_MODES: Record<string, AuthModeType | 'AMAZON_COGNITO_USER_POOLS' | 'OPENID_CONNECT'> = {
  aws_api_key: 'API_KEY',
  aws_iam: 'AWS_IAM',
  aws_lambda: 'AWS_LAMBDA',
  aws_oidc: 'OPENID_CONNECT',
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
};

type Modes = ReadonlySet<string>;

/**
 * Which auth modes may reach each field, following AppSync's precedence: a field directive
 * overrides its type's directives, a type directive replaces the default mode, and a field or
 * type with no directive accepts the default mode only. A field that returns an object type is
 * also closed to a mode that the returned type does not allow.
 */
export class DirectiveRules {
  private readonly typeModes = new Map<string, Modes>();
  private readonly fieldModes = new Map<string, Modes>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly defaultMode: AuthModeType,
    configuredModes: readonly AuthModeType[],
  ) {
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      const own = modesOf(type.astNode?.directives, [type.extensionASTNodes].flat().flatMap((n) => n.directives ?? []));
      if (own.size) this.typeModes.set(type.name, own);
      for (const field of Object.values(type.getFields())) {
        const modes = modesOf(field.astNode?.directives);
        if (modes.size) this.fieldModes.set(`${type.name}.${field.name}`, modes);
      }
    }
    const used = new Set([...this.typeModes.values(), ...this.fieldModes.values()].flatMap((m) => [...m]));
    const missing = [...used].filter((mode) => !configuredModes.includes(mode as AuthModeType));
    if (missing.length) {
      throw new Error(`schema uses auth directives for modes the API does not have: ${missing.join(', ')}`);
    }
  }

  /** The modes that may resolve `Type.field`. */
  fieldAllows(typeName: string, fieldName: string): Modes {
    return this.fieldModes.get(`${typeName}.${fieldName}`) ?? this.typeAllows(typeName);
  }

  /** The modes an object type admits when it is returned. */
  typeAllows(typeName: string): Modes {
    return this.typeModes.get(typeName) ?? new Set([this.defaultMode]);
  }

  /** Whether a caller in `mode` may resolve the field, its returned type included. */
  allows(mode: AuthModeType, typeName: string, fieldName: string, returnType: GraphQLNamedType): boolean {
    if (!this.fieldAllows(typeName, fieldName).has(mode)) return false;
    return !isObjectType(returnType) || this.typeAllows(returnType.name).has(mode);
  }

  /** The schema these rules were read from. */
  get source(): GraphQLSchema {
    return this.schema;
  }
}

function modesOf(...lists: (readonly { name: { value: string } }[] | undefined)[]): Set<string> {
  const modes = new Set<string>();
  for (const directive of lists.flatMap((l) => l ?? [])) {
    const mode = DIRECTIVE_MODES[directive.name.value];
    if (mode) modes.add(mode);
  }
  return modes;
}
