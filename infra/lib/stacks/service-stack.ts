import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AccessLogsBucket } from '../access-logs-bucket/access-logs-bucket';
import { API_STAGE_NAME, AccidentsApi } from '../accidents-api/accidents-api';
import { AccidentsConfig } from '../config';
import { DatasheetBucket } from '../datasheet-bucket/datasheet-bucket';
import { WebDistribution } from '../web-distribution/web-distribution';
import { acknowledgeBucketDeploymentHandler } from './cdk-handlers';

export interface ServiceStackProps extends StackProps {
  readonly config: AccidentsConfig;
  /** From the data stack. */
  readonly datasheet: DatasheetBucket;
}

/**
 * Stateless: the API and the distribution in front of it. They share a stack because each names
 * the other (the distribution routes /api/* to the API; the API's CORS answers name the
 * distribution), which across two stacks would be a dependency cycle.
 */
export class ServiceStack extends Stack {
  readonly api: AccidentsApi;
  readonly web: WebDistribution;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.api = new AccidentsApi(this, 'Api', {
      image: config.image,
      datasheet: props.datasheet,
      functions: config.functions,
      usagePlan: config.usagePlan,
      stageThrottle: config.stageThrottle,
      logRetention: config.logRetention,
    });
    const accessLogs = new AccessLogsBucket(this, 'AccessLogs', { allowCloudFrontLogDelivery: true });
    this.web = new WebDistribution(this, 'Web', {
      api: { restApi: this.api.restApi, stageName: API_STAGE_NAME, keySecret: this.api.webAppKeySecret },
      webAssetsPath: config.webAssetsPath,
      accessLogs: accessLogs.bucket,
    });
    this.api.allowBrowserOrigin(config.webOrigin ?? this.web.origin);
    acknowledgeBucketDeploymentHandler(this, [this.web.bucket]);

    new CfnOutput(this, 'WebUrl', { value: this.web.origin, description: 'The web app' });
    new CfnOutput(this, 'DistributionId', { value: this.web.distribution.distributionId });
    new CfnOutput(this, 'WebBucketName', { value: this.web.bucket.bucketName });
    new CfnOutput(this, 'ApiUrl', {
      value: this.api.restApi.url,
      description: 'Direct API endpoint; requires an x-api-key header',
    });
    new CfnOutput(this, 'ApiKeyId', {
      value: this.api.webAppKey.keyId,
      description: 'aws apigateway get-api-key --include-value --api-key <id>',
    });
    new CfnOutput(this, 'ApiKeySecretArn', { value: this.api.webAppKeySecret.secretArn });
    new CfnOutput(this, 'UsagePlanId', { value: this.api.usagePlan.usagePlanId });
    new CfnOutput(this, 'QueryFunctionName', { value: this.api.queryFunction.function.functionName });
    new CfnOutput(this, 'YearsFunctionName', { value: this.api.yearsFunction.function.functionName });
  }
}
