import * as fs from 'node:fs';
import * as path from 'node:path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { DEFAULTS } from '../lib/config';
import { synthApp, testConfig } from './fixture-app';

type Resources = Record<string, { Type: string; Properties: any; DeletionPolicy?: string }>;

const ofType = (resources: Resources, type: string) =>
  Object.entries(resources).filter(([, r]) => r.Type === type);

/** Every statement of every inline IAM policy of the stack, with the policy's logical ID. */
const statements = (resources: Resources) =>
  ofType(resources, 'AWS::IAM::Policy').flatMap(([id, r]) =>
    (r.Properties.PolicyDocument.Statement as any[]).map((statement) => ({ id, statement })));

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every file below `dir`, relative to it, sorted. */
const filesUnder = (dir: string): string[] =>
  (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((file) => fs.statSync(path.join(dir, file)).isFile())
    .sort();

describe('service stack', () => {
  const { service } = synthApp();
  const template = Template.fromStack(service);
  const resources = template.toJSON().Resources as Resources;
  const distributionId = ofType(resources, 'AWS::CloudFront::Distribution')[0][0];
  const distributionOrigin = {
    'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]],
  };

  describe('functions', () => {
    test('two arm64 functions run one image with `lambda` as its command', () => {
      template.resourceCountIs('AWS::Lambda::Function', 2 + 2); // + CDK's deployment and auto-delete handlers
      const functions = ofType(resources, 'AWS::Lambda::Function').filter(([, r]) => r.Properties.PackageType === 'Image');
      expect(functions.map(([, r]) => r.Properties.Description).sort())
        .toEqual(['NTSB accidents API: GET /query', 'NTSB accidents API: GET /years']);
      const images = new Set(functions.map(([, r]) => JSON.stringify(r.Properties.Code.ImageUri)));
      expect(images.size).toBe(1);
      for (const [, fn] of functions) {
        expect(fn.Properties.Architectures).toEqual(['arm64']);
        expect(fn.Properties.ImageConfig).toEqual({ Command: ['lambda'] });
        expect(fn.Properties.MemorySize).toBe(1024);
        expect(fn.Properties.Timeout).toBe(10);
      }
    });

    test('one docker image asset, built for arm64 from deploy/Dockerfile', () => {
      const assembly = synthApp().app.synth();
      const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'AccidentsService.assets.json'), 'utf8'));
      const images = Object.values(manifest.dockerImages as Record<string, { source: any }>);
      expect(images).toHaveLength(1);
      expect(images[0].source).toMatchObject({ dockerFile: 'deploy/Dockerfile', platform: 'linux/arm64' });
    });

    test('the image asset stages the repository as its .dockerignore defines it: what the build reads, nothing else', () => {
      const repo = path.resolve(__dirname, '..', '..');
      const config = testConfig({ image: { directory: repo, file: DEFAULTS.dockerfile, command: DEFAULTS.imageCommand } });
      const assembly = synthApp(config).app.synth();
      const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'AccidentsService.assets.json'), 'utf8'));
      const [image] = Object.values(manifest.dockerImages as Record<string, { source: { directory: string } }>);
      const staged = filesUnder(path.join(assembly.directory, image.source.directory));

      // What deploy/Dockerfile and the CMake build read (src/CMakeLists.txt compiles docs/openapi.json in).
      const needed = ['.dockerignore', 'CMakeLists.txt', 'CMakePresets.json', 'deploy/Dockerfile', 'docs/openapi.json',
        'scripts/install-deps', ...filesUnder(path.join(repo, 'src')).map((file) => `src/${file}`)];
      expect(staged).toEqual(needed.sort());
      for (const left of ['infra/', 'web/', 'tests/', 'bench/', 'build/', 'docs/api.md', 'node_modules/', '.git']) {
        expect(staged.filter((file) => file.startsWith(left) || file.includes(`/${left}`))).toEqual([]);
      }
    });

    test('the functions find the datasheet in ASSET_BUCKET/ASSET_NAME and know the browser origin', () => {
      for (const [, fn] of ofType(resources, 'AWS::Lambda::Function').filter(([, r]) => r.Properties.PackageType === 'Image')) {
        const variables = fn.Properties.Environment.Variables;
        expect(variables.ASSET_NAME).toBe('AviationData.csv');
        expect(JSON.stringify(variables.ASSET_BUCKET)).toContain('DatasheetBucket');
        expect(variables.ASSET_FINGERPRINT).toMatch(/^[0-9a-f]{64}$/);
        expect(variables.CORS_ALLOWED_ORIGINS).toEqual(distributionOrigin);
      }
    });

    test('each function role may read the datasheet object only', () => {
      const s3Statements = statements(resources).filter(({ statement }) =>
        asList<string>(statement.Action).some((action) => action.startsWith('s3:')));
      const functionRoles = s3Statements.filter(({ id }) => id.startsWith('Api'));
      expect(functionRoles).toHaveLength(2);
      for (const { statement } of functionRoles) {
        expect(statement.Action).toBe('s3:GetObject');
        expect(JSON.stringify(statement.Resource)).toMatch(/DatasheetBucketArn.*"\/AviationData\.csv"/);
      }
    });

    test('no IAM statement grants S3 actions on "*", and "*" appears only for CloudFront invalidations', () => {
      for (const { statement } of statements(resources)) {
        if (!asList(statement.Resource).includes('*')) continue;
        expect(asList<string>(statement.Action).every((a) => a.startsWith('cloudfront:'))).toBe(true);
      }
    });

    test('logs are kept for the configured retention', () => {
      const logGroups = ofType(resources, 'AWS::Logs::LogGroup');
      expect(logGroups.length).toBeGreaterThanOrEqual(3); // two functions and the access logs
      for (const [id, group] of logGroups) {
        if (id.startsWith('CustomCDKBucketDeployment')) continue;
        expect(group.Properties.RetentionInDays).toBe(30);
        expect(group.DeletionPolicy).toBe('Delete');
      }
    });
  });

  describe('REST API', () => {
    test('GET /query and GET /years require an API key and call their function by proxy', () => {
      const gets = ofType(resources, 'AWS::ApiGateway::Method').filter(([, r]) => r.Properties.HttpMethod === 'GET');
      expect(gets).toHaveLength(2);
      for (const [, method] of gets) {
        expect(method.Properties.ApiKeyRequired).toBe(true);
        expect(method.Properties.Integration.Type).toBe('AWS_PROXY');
      }
      template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'query' });
      template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'years' });
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'GET',
        RequestParameters: { 'method.request.querystring.year': false },
        RequestValidatorId: Match.anyValue(),
      });
      template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
        ValidateRequestParameters: true,
      });
    });

    test('every media type is binary, so base64-encoded gzip answers reach clients as bytes', () => {
      template.hasResourceProperties('AWS::ApiGateway::RestApi', { BinaryMediaTypes: ['*/*'] });
    });

    test('the usage plan (rate 10, burst 2, 10,000 a day) covers the stage and holds the web app key', () => {
      template.resourceCountIs('AWS::ApiGateway::UsagePlan', 1);
      template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        Throttle: { RateLimit: 10, BurstLimit: 2 },
        Quota: { Limit: 10000, Period: 'DAY' },
        ApiStages: [Match.objectLike({ ApiId: Match.anyValue(), Stage: Match.anyValue() })],
      });
      template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
      template.hasResourceProperties('AWS::ApiGateway::UsagePlanKey', { KeyType: 'API_KEY' });
    });

    test('the web app key value is a deploy-time reference to a generated secret', () => {
      template.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
      const [[, key]] = ofType(resources, 'AWS::ApiGateway::ApiKey');
      const [[secretId, secret]] = ofType(resources, 'AWS::SecretsManager::Secret');
      expect(key.Properties.Value).toEqual({
        'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']],
      });
      expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 40, ExcludePunctuation: true });
      expect(secret.Properties.SecretString).toBeUndefined();
    });

    test('the stage writes access logs, throttles and logs errors', () => {
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        StageName: 'prod',
        AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
        MethodSettings: [Match.objectLike({
          ThrottlingRateLimit: 50, ThrottlingBurstLimit: 20, LoggingLevel: 'ERROR', DataTraceEnabled: false,
        })],
      });
      template.hasResourceProperties('AWS::ApiGateway::RestApi', {
        EndpointConfiguration: { Types: ['REGIONAL'] },
        ApiKeySourceType: 'HEADER',
      });
    });

    test('CORS allows the distribution origin only: preflight and gateway 4xx/5xx answers', () => {
      const options = ofType(resources, 'AWS::ApiGateway::Method').filter(([, r]) => r.Properties.HttpMethod === 'OPTIONS');
      expect(options).toHaveLength(2);
      for (const [, method] of options) {
        expect(method.Properties.ApiKeyRequired).toBeFalsy();
        const headers = method.Properties.Integration.IntegrationResponses[0].ResponseParameters;
        expect(headers['method.response.header.Access-Control-Allow-Origin']).toEqual({
          'Fn::Join': ['', ["'https://", { 'Fn::GetAtt': [distributionId, 'DomainName'] }, "'"]],
        });
      }
      for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
        template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
          ResponseType: type,
          ResponseParameters: {
            'gatewayresponse.header.Access-Control-Allow-Origin': {
              'Fn::Join': ['', ["'https://", { 'Fn::GetAtt': [distributionId, 'DomainName'] }, "'"]],
            },
          },
        });
      }
      expect(JSON.stringify(resources)).not.toMatch(/Access-Control-Allow-Origin[^,]*"'\*'"/);
    });

    test('a configured web origin replaces the distribution origin', () => {
      const custom = Template.fromStack(synthApp(testConfig({ webOrigin: 'https://accidents.example.org' })).service);
      custom.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: 'DEFAULT_4XX',
        ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'https://accidents.example.org'" },
      });
    });
  });

  describe('web distribution', () => {
    test('the website bucket is private, SSL-only, without website hosting, read only by this distribution', () => {
      const buckets = ofType(resources, 'AWS::S3::Bucket');
      for (const [, bucket] of buckets) {
        expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
        expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
        });
      }
      template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
      template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
      });
      const webBucket = buckets.find(([id]) => id.startsWith('WebBucket'))![0];
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: webBucket },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({
              Effect: 'Allow', Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' },
              Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
            }),
          ]),
        },
      });
      expect(JSON.stringify(resources)).not.toMatch(/CloudFrontOriginAccessIdentity/);
    });

    test('viewers are sent to HTTPS, client routes fall back to index.html, security headers are set', () => {
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultRootObject: 'index.html',
          DefaultCacheBehavior: Match.objectLike({
            ViewerProtocolPolicy: 'redirect-to-https',
            FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: Match.anyValue() }],
            ResponseHeadersPolicyId: Match.anyValue(),
          }),
          Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
        }),
      });
      template.hasResourceProperties('AWS::CloudFront::Function', {
        FunctionCode: Match.stringLikeRegexp("request.uri = '/index.html'"),
        FunctionConfig: { Comment: Match.anyValue(), Runtime: 'cloudfront-js-2.0' },
      });
      template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: {
          SecurityHeadersConfig: {
            ContentSecurityPolicy: { ContentSecurityPolicy: Match.stringLikeRegexp("default-src 'self'"), Override: true },
            StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 31536000, Override: true }),
            ContentTypeOptions: { Override: true },
            FrameOptions: { FrameOption: 'DENY', Override: true },
            ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          },
        },
      });
    });

    test('/api/* reaches the prod stage uncached, with the query string and the key as an origin header', () => {
      const [, distribution] = ofType(resources, 'AWS::CloudFront::Distribution')[0];
      const config = distribution.Properties.DistributionConfig;
      const api = config.CacheBehaviors.find((b: any) => b.PathPattern === '/api/*');
      expect(api).toMatchObject({
        ViewerProtocolPolicy: 'https-only',
        CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
        OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS'],
      });
      const origin = config.Origins.find((o: any) => o.Id === api.TargetOriginId);
      expect(origin.OriginPath).toBe('/prod');
      expect(JSON.stringify(origin.DomainName)).toMatch(/ApiRestApi.*\.execute-api\./);
      expect(origin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
      const [[secretId]] = ofType(resources, 'AWS::SecretsManager::Secret');
      expect(origin.OriginCustomHeaders).toEqual([{
        HeaderName: 'x-api-key',
        HeaderValue: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']] },
      }]);
      template.hasResourceProperties('AWS::CloudFront::Function', {
        FunctionCode: Match.stringLikeRegexp("substring\\('/api'.length\\)"),
      });
    });

    test('the built web app is deployed and the distribution invalidated', () => {
      template.hasResourceProperties('Custom::CDKBucketDeployment', {
        DestinationBucketName: { Ref: Match.stringLikeRegexp('^WebBucket') },
        DistributionPaths: ['/*'],
        Prune: true,
      });
    });

    test('without a built web app, nothing is deployed and synthesis warns', () => {
      const report = jest.spyOn(console, 'error').mockImplementation(() => undefined); // the expected warning
      const { service: bare } = synthApp(testConfig({ webAssetsPath: undefined }));
      Template.fromStack(bare).resourceCountIs('Custom::CDKBucketDeployment', 0);
      Annotations.fromStack(bare).hasWarning('/AccidentsService/Web', Match.stringLikeRegexp('No built web app found'));
      report.mockRestore();
    });
  });

  test('outputs name the URLs and where the key value is read', () => {
    for (const name of ['WebUrl', 'ApiUrl', 'ApiKeyId', 'ApiKeySecretArn', 'DistributionId', 'UsagePlanId',
      'QueryFunctionName', 'YearsFunctionName']) {
      template.hasOutput(name, Match.anyValue());
    }
  });
});
