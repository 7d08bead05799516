import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge.ts';
import { physicalTableName } from '../../api/naming.ts';
import type { ApiDefinition, AttributeType, KeyAttribute } from '../../api/types.ts';

/** Props of {@link Data}. */
export interface DataProps {
  api: ApiDefinition;
  stage: string;
  /** Keep the tables when the stack is deleted. */
  retain: boolean;
}

const attributeTypes: Record<AttributeType, dynamodb.AttributeType> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
};

const streamTypes = {
  NEW_AND_OLD_IMAGES: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
  NEW_IMAGE: dynamodb.StreamViewType.NEW_IMAGE,
  OLD_IMAGE: dynamodb.StreamViewType.OLD_IMAGE,
  KEYS_ONLY: dynamodb.StreamViewType.KEYS_ONLY,
} as const;

const key = (attribute: KeyAttribute): dynamodb.Attribute => ({ name: attribute.name, type: attributeTypes[attribute.type] });

/**
 * Every DynamoDB table of the description, under the physical names the functions and
 * resolvers are told (`physicalTableName`): keys, global indexes, streams and TTL as
 * described; on-demand, point-in-time recovery and encryption at rest always.
 */
export class Data extends Construct {
  private readonly tables = new Map<string, dynamodb.Table>();

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    for (const [name, table] of Object.entries(props.api.tables)) {
      const created = new dynamodb.Table(this, name, {
        tableName: physicalTableName(props.api, props.stage, name),
        partitionKey: key(table.partitionKey),
        sortKey: table.sortKey && key(table.sortKey),
        // Traffic is spiky and small; provisioned capacity would be paid for while idle.
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        stream: table.stream && streamTypes[table.stream],
        timeToLiveAttribute: table.timeToLiveAttribute,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        // AWS-owned keys are encryption too, but an AWS-managed key shows up in CloudTrail.
        encryption: dynamodb.TableEncryption.AWS_MANAGED,
        deletionProtection: props.retain,
        removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      for (const index of table.globalIndexes ?? []) {
        created.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: key(index.partitionKey),
          sortKey: index.sortKey && key(index.sortKey),
          // The resolvers read whole items from indexes, as they do locally.
          projectionType: dynamodb.ProjectionType.ALL,
        });
      }
      if (table.globalIndexes?.length) {
        // Grants on a table with indexes cover <table>/index/*; only this table's, and only in this stack.
        const logicalId = Stack.of(this).getLogicalId(created.node.defaultChild as dynamodb.CfnTable);
        acknowledge(Stack.of(this), {
          [`AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`]: `Reading the ${name} table includes querying its own indexes (${table.globalIndexes.map((i) => i.name).join(', ')}).`,
        });
      }
      this.tables.set(name, created);
    }
  }

  /** The table the description calls `name`; throws for a name it does not have. */
  table(name: string): dynamodb.Table {
    const found = this.tables.get(name);
    if (!found) throw new Error(`the API description has no table "${name}"`);
    return found;
  }
}
