import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DATASHEET_OBJECT_KEY } from '../lib/config';
import { DATASHEET_BUCKET_LOGICAL_ID } from '../lib/datasheet-bucket/datasheet-bucket';
import { FIXTURE_DATASHEET, synthApp } from './fixture-app';

describe('data stack', () => {
  const { data } = synthApp();
  const template = Template.fromStack(data);

  test('the datasheet bucket keeps its pinned logical ID', () => {
    // Changing this constant replaces the bucket and orphans the retained one: never change it.
    expect(DATASHEET_BUCKET_LOGICAL_ID).toBe('DatasheetBucket');
    expect(template.toJSON().Resources).toHaveProperty(['DatasheetBucket', 'Type'], 'AWS::S3::Bucket');
  });

  test('the datasheet bucket is private, encrypted, versioned, logged and retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'datasheet-bucket/' },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    const bucket = template.toJSON().Resources[DATASHEET_BUCKET_LOGICAL_ID];
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  test('the datasheet bucket denies every request without TLS 1.2', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: DATASHEET_BUCKET_LOGICAL_ID },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
          }),
        ]),
      },
    });
  });

  test('every bucket of the stack is SSL-only and blocks public access', () => {
    const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
    const buckets = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::S3::Bucket').map(([id]) => id);
    expect(buckets).toHaveLength(2);
    for (const id of buckets) {
      expect(resources[id].Properties.PublicAccessBlockConfiguration.RestrictPublicBuckets).toBe(true);
      const policy = Object.values(resources).find((r) =>
        r.Type === 'AWS::S3::BucketPolicy' && r.Properties.Bucket.Ref === id);
      expect(policy?.Properties.PolicyDocument.Statement).toContainEqual(expect.objectContaining({
        Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }));
    }
  });

  test('the datasheet is deployed into its bucket, kept when the deployment goes', () => {
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: DATASHEET_BUCKET_LOGICAL_ID },
      Prune: false,
      RetainOnDelete: true,
    });
  });

  test('the staged datasheet asset is the fixture under the key AviationData.csv', () => {
    const assembly = synthApp().app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'AccidentsData.assets.json'), 'utf8'));
    const staged = Object.values(manifest.files as Record<string, { source: { path: string } }>)
      .map((asset) => path.join(assembly.directory, asset.source.path, DATASHEET_OBJECT_KEY))
      .filter((file) => fs.existsSync(file));
    expect(staged).toHaveLength(1);
    expect(fs.readFileSync(staged[0])).toEqual(fs.readFileSync(FIXTURE_DATASHEET));
  });
});
