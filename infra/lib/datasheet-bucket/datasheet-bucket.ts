import { Duration, FileSystem, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { singleFileSource } from './datasheet-source';

/**
 * Logical ID of the datasheet bucket, fixed so that renaming or moving the construct never
 * replaces the bucket (and its data). Changing it orphans the old bucket: never do.
 */
export const DATASHEET_BUCKET_LOGICAL_ID = 'DatasheetBucket';

export interface DatasheetBucketProps {
  /** Local CSV uploaded as `objectKey`. */
  readonly datasheetPath: string;
  /** Key the functions read, `AviationData.csv` in the original deployment. */
  readonly objectKey: string;
  /** Destination of the bucket's server access logs. */
  readonly accessLogs: s3.IBucket;
}

/** Private, versioned, SSL-only bucket holding the datasheet, deployed from a local file. */
export class DatasheetBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly objectKey: string;
  /** Content hash of the deployed datasheet; changes whenever a different file is deployed. */
  readonly fingerprint: string;

  constructor(scope: Construct, id: string, props: DatasheetBucketProps) {
    super(scope, id);
    this.objectKey = props.objectKey;
    this.fingerprint = FileSystem.fingerprint(props.datasheetPath);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'datasheet-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    (this.bucket.node.defaultChild as s3.CfnBucket).overrideLogicalId(DATASHEET_BUCKET_LOGICAL_ID);

    new s3deploy.BucketDeployment(this, 'Datasheet', {
      sources: [singleFileSource(props.datasheetPath, props.objectKey)],
      destinationBucket: this.bucket,
      // Only the datasheet lives here; older versions stay reachable through versioning.
      prune: false,
      retainOnDelete: true,
      memoryLimit: 512,
    });
  }

  /** Lets the grantee read the datasheet object and nothing else (no listing, no other key). */
  grantReadDatasheet(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject'],
      resourceArns: [this.bucket.arnForObjects(this.objectKey)],
    });
  }
}
