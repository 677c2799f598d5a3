import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DatasheetBucket } from '../datasheet-bucket/datasheet-bucket';

export interface DatasheetFunctionProps {
  /** The one image shared by every function of the API. */
  readonly image: ecrAssets.DockerImageAsset;
  /** CMD for the image's ENTRYPOINT, e.g. ['lambda']. */
  readonly command: readonly string[];
  readonly datasheet: DatasheetBucket;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly description: string;
}

/**
 * An arm64 container function running `accidents lambda`, which loads the datasheet from
 * s3://$ASSET_BUCKET/$ASSET_NAME once at init. Its role may write its own log group and read
 * the datasheet object, nothing more.
 */
export class DatasheetFunction extends Construct {
  readonly function: lambda.DockerImageFunction;

  constructor(scope: Construct, id: string, props: DatasheetFunctionProps) {
    super(scope, id);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.description}`,
    });
    logGroup.grantWrite(role);
    props.datasheet.grantReadDatasheet(role);

    this.function = new lambda.DockerImageFunction(this, 'Function', {
      description: props.description,
      code: lambda.DockerImageCode.fromEcr(props.image.repository, {
        tagOrDigest: props.image.imageTag,
        cmd: [...props.command],
      }),
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role,
      logGroup,
      environment: {
        ASSET_BUCKET: props.datasheet.bucket.bucketName,
        ASSET_NAME: props.datasheet.objectKey,
        // A new datasheet changes the configuration, so fresh execution environments load it.
        ASSET_FINGERPRINT: props.datasheet.fingerprint,
      },
    });
  }
}
