import type { Template } from 'aws-cdk-lib/assertions';

/** A CloudFormation resource as the synthesised template has it. */
export interface Resource {
  Type: string;
  Properties: Record<string, any>;
  Metadata?: Record<string, any>;
}

/** One IAM policy statement, as synthesised. */
export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Lookups in a synthesised template by the names the description uses, not by hashed logical ids. */
export class TemplateIndex {
  readonly resources: Record<string, Resource>;

  constructor(template: Template) {
    this.resources = template.toJSON().Resources as Record<string, Resource>;
  }

  /** Every resource of a type, with its logical id. */
  ofType(type: string): [string, Resource][] {
    return Object.entries(this.resources).filter(([, r]) => r.Type === type);
  }

  /** The logical id and resource of the Lambda function with this physical name. */
  lambda(functionName: string): [string, Resource] {
    const found = this.ofType('AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === functionName);
    if (!found) throw new Error(`no Lambda function named ${functionName}`);
    return found;
  }

  /** The logical id of the table with this physical name. */
  tableId(tableName: string): string {
    const found = this.ofType('AWS::DynamoDB::Table').find(([, r]) => r.Properties.TableName === tableName);
    if (!found) throw new Error(`no table named ${tableName}`);
    return found[0];
  }

  /** Every statement of every policy attached to the role of the function with this physical name. */
  statementsOf(functionName: string): Statement[] {
    const roleId = this.lambda(functionName)[1].Properties.Role['Fn::GetAtt'][0] as string;
    return this.ofType('AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
  }

  /** Every statement of every IAM policy in the template. */
  allStatements(): Statement[] {
    return this.ofType('AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
  }
}

/** A statement's actions as a sorted list. */
export function actions(statement: Statement): string[] {
  return [statement.Action].flat().sort();
}

/** Whether a statement's resources mention the resource with this logical id (Ref or GetAtt). */
export function mentions(statement: Statement, logicalId: string): boolean {
  return JSON.stringify(statement.Resource).includes(`"${logicalId}"`);
}
