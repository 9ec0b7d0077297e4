import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLE_DEFINITION, tableNameFor } from '../../shared/data/table-definition.ts';
import type { StageConfig } from '../config/index.ts';

export interface DataTableProps {
  readonly config: StageConfig;
}

const attributeType = (type: 'S' | 'N' | 'B'): dynamodb.AttributeType =>
  ({ S: dynamodb.AttributeType.STRING, N: dynamodb.AttributeType.NUMBER, B: dynamodb.AttributeType.BINARY })[
    type
  ];

const streamViewType = (view: typeof TABLE_DEFINITION.streamViewType): dynamodb.StreamViewType =>
  ({ NEW_AND_OLD_IMAGES: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES })[view];

/**
 * The single table, built from the shared table definition (the local runtime creates DynamoDB Local's
 * table from the same object), encrypted with a customer-managed key because it holds health data.
 */
export class DataTable extends Construct {
  readonly table: dynamodb.Table;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: DataTableProps) {
    super(scope, id);
    const { config } = props;
    const def = TABLE_DEFINITION;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.key = new kms.Key(this, 'Key', {
      alias: `alias/${tableNameFor(config.stage)}`,
      description: `Encrypts the ${tableNameFor(config.stage)} table and its stream`,
      enableKeyRotation: true,
      removalPolicy,
      pendingWindow: Duration.days(config.retainData ? 30 : 7),
    });

    this.table = new dynamodb.Table(this, 'Table', {
      tableName: tableNameFor(config.stage),
      partitionKey: { name: def.partitionKey.name, type: attributeType(def.partitionKey.type) },
      sortKey: { name: def.sortKey.name, type: attributeType(def.sortKey.type) },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: def.timeToLiveAttribute,
      stream: streamViewType(def.streamViewType),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: config.pointInTimeRecovery },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      deletionProtection: config.retainData,
      removalPolicy,
    });

    for (const gsi of def.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey.name, type: attributeType(gsi.partitionKey.type) },
        sortKey: { name: gsi.sortKey.name, type: attributeType(gsi.sortKey.type) },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }
}
