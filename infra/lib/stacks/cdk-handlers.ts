import { Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Acknowledges the findings on the handler function CDK adds once per stack for its
 * BucketDeployments. Its code, runtime and permissions belong to aws-cdk-lib; each finding is
 * named precisely so that anything new still fails the checks. Call after the deployments exist.
 */
export function acknowledgeBucketDeploymentHandler(stack: Stack, destinations: readonly s3.IBucket[]): void {
  const handlers = stack.node.children.filter((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  for (const handler of handlers) {
    Validations.of(handler).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'CDK\'s BucketDeployment handler: the AWS managed basic execution policy only lets it write its own logs.',
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'CDK\'s BucketDeployment handler: aws-cdk-lib picks its runtime and updates it with the library.',
      },
      ...['s3:GetBucket*', 's3:GetObject*', 's3:List*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: 'CDK\'s BucketDeployment handler reads the staged asset (Bucket.grantRead) and syncs the destination.',
      })),
      ...['s3:Abort*', 's3:DeleteObject*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: 'CDK\'s BucketDeployment handler writes the destination bucket (Bucket.grantReadWrite).',
      })),
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        reason: 'The CDK bootstrap assets bucket: asset object keys are content hashes, unknown when the policy is written.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'CDK\'s BucketDeployment handler invalidates the distribution after an upload; aws-cdk-lib grants ' +
          'only cloudfront:CreateInvalidation and cloudfront:GetInvalidation, on any distribution.',
      },
      ...destinations.map((bucket) => ({
        id: `AwsSolutions-IAM5[Resource::<${logicalId(stack, bucket)}.Arn>/*]`,
        reason: 'The deployment\'s own destination bucket: it writes the objects of the deployed directory, whatever their names.',
      })),
    );
  }
}

function logicalId(stack: Stack, bucket: s3.IBucket): string {
  // Resolved rather than allocated, so an overridden logical ID is honoured.
  return stack.resolve((bucket.node.defaultChild as s3.CfnBucket).logicalId);
}
