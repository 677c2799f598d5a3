import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AccessLogsBucket } from '../access-logs-bucket/access-logs-bucket';
import { DATASHEET_OBJECT_KEY } from '../config';
import { DatasheetBucket } from '../datasheet-bucket/datasheet-bucket';
import { acknowledgeBucketDeploymentHandler } from './cdk-handlers';

export interface DataStackProps extends StackProps {
  readonly datasheetPath: string;
}

/** Stateful: the datasheet bucket (retained, fixed logical ID) and its access logs. */
export class DataStack extends Stack {
  readonly datasheet: DatasheetBucket;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const accessLogs = new AccessLogsBucket(this, 'AccessLogs');
    this.datasheet = new DatasheetBucket(this, 'Datasheet', {
      datasheetPath: props.datasheetPath,
      objectKey: DATASHEET_OBJECT_KEY,
      accessLogs: accessLogs.bucket,
    });
    acknowledgeBucketDeploymentHandler(this, [this.datasheet.bucket]);

    new CfnOutput(this, 'DatasheetBucketName', {
      value: this.datasheet.bucket.bucketName,
      description: `Bucket holding ${DATASHEET_OBJECT_KEY}`,
    });
    new CfnOutput(this, 'AccessLogsBucketName', { value: accessLogs.bucket.bucketName });
  }
}
