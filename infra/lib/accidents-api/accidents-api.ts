import { Duration, IgnoreMode, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { FunctionConfig, ImageConfig, ThrottleConfig, UsagePlanConfig } from '../config';
import { DatasheetBucket } from '../datasheet-bucket/datasheet-bucket';
import { DatasheetFunction } from './datasheet-function';

/** The one stage; CloudFront's API origin path is `/${API_STAGE_NAME}`. */
export const API_STAGE_NAME = 'prod';

export interface AccidentsApiProps {
  readonly image: ImageConfig;
  readonly datasheet: DatasheetBucket;
  readonly functions: FunctionConfig;
  readonly usagePlan: UsagePlanConfig;
  readonly stageThrottle: ThrottleConfig;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The REST API of the original deployment, `GET /query` and `GET /years`, each backed by its own
 * function running the same image, both requiring an API key bound to a usage plan. The web app's
 * key is generated at deploy time into a secret; its value is never in the repository.
 */
export class AccidentsApi extends Construct {
  readonly restApi: apigw.RestApi;
  readonly usagePlan: apigw.UsagePlan;
  /** The key CloudFront adds to `/api/*` requests. */
  readonly webAppKey: apigw.ApiKey;
  /** Holds the value of `webAppKey`. */
  readonly webAppKeySecret: secretsmanager.Secret;
  readonly queryFunction: DatasheetFunction;
  readonly yearsFunction: DatasheetFunction;
  readonly functions: readonly DatasheetFunction[];

  private readonly resources: readonly apigw.Resource[];
  private browserOrigin?: string;

  constructor(scope: Construct, id: string, props: AccidentsApiProps) {
    super(scope, id);

    const image = new ecrAssets.DockerImageAsset(this, 'Image', {
      directory: props.image.directory,
      file: props.image.file,
      platform: ecrAssets.Platform.LINUX_ARM64,
      // The context is the directory's .dockerignore alone (an allow-list), read with docker's
      // rules, so that what is staged here is what `docker build` of the same directory sends.
      ignoreMode: IgnoreMode.DOCKER,
    });
    const fn = (fnId: string, description: string) => new DatasheetFunction(this, fnId, {
      image,
      command: props.image.command,
      datasheet: props.datasheet,
      memorySize: props.functions.memorySize,
      timeout: props.functions.timeout,
      logRetention: props.logRetention,
      description,
    });
    const queryFunction = fn('QueryFunction', 'NTSB accidents API: GET /query');
    const yearsFunction = fn('YearsFunction', 'NTSB accidents API: GET /years');
    this.queryFunction = queryFunction;
    this.yearsFunction = yearsFunction;
    this.functions = [queryFunction, yearsFunction];

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.restApi = new apigw.RestApi(this, 'RestApi', {
      description: 'NTSB aviation accidents: records by year and the list of years',
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      apiKeySourceType: apigw.ApiKeySourceType.HEADER,
      // The functions answer gzip bodies base64-encoded (isBase64Encoded); API Gateway turns them
      // back into bytes only for binary media types, so every type is one.
      binaryMediaTypes: ['*/*'],
      // Access and execution logs need the account-wide API Gateway CloudWatch role.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: API_STAGE_NAME,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields({
          caller: false, httpMethod: true, ip: true, protocol: true, requestTime: true,
          resourcePath: true, responseLength: true, status: true, user: false,
        }),
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        throttlingRateLimit: props.stageThrottle.rateLimit,
        throttlingBurstLimit: props.stageThrottle.burstLimit,
      },
    });

    // Values are checked by the handler (400 naming the parameter); the gateway checks presence.
    const validator = this.restApi.addRequestValidator('Parameters', {
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    const query = this.restApi.root.addResource('query');
    query.addMethod('GET', new apigw.LambdaIntegration(queryFunction.function), {
      apiKeyRequired: true,
      requestValidator: validator,
      // Optional: the extended filters answer without a year.
      requestParameters: { 'method.request.querystring.year': false },
    });
    const years = this.restApi.root.addResource('years');
    years.addMethod('GET', new apigw.LambdaIntegration(yearsFunction.function), {
      apiKeyRequired: true,
      requestValidator: validator,
    });
    this.resources = [query, years];

    this.usagePlan = this.restApi.addUsagePlan('UsagePlan', {
      description: 'Web app and API clients: seed rate and burst, daily quota',
      throttle: props.usagePlan.throttle,
      quota: props.usagePlan.quota,
      apiStages: [{ api: this.restApi, stage: this.restApi.deploymentStage }],
    });

    this.webAppKeySecret = new secretsmanager.Secret(this, 'WebAppKeyValue', {
      description: 'Value of the API key CloudFront adds to /api/* requests of the web app',
      generateSecretString: { passwordLength: 40, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.webAppKey = new apigw.ApiKey(this, 'WebAppKey', {
      description: 'Added by CloudFront to the web app\'s API requests',
      enabled: true,
      // A CloudFormation dynamic reference, resolved by CloudFormation at deploy time.
      value: this.webAppKeySecret.secretValue.unsafeUnwrap(),
    });
    this.usagePlan.addApiKey(this.webAppKey);

    Validations.of(this.restApi).acknowledge(
      ...['AwsSolutions-APIG4', 'AwsSolutions-COG4'].map((ruleId) => ({
        id: ruleId,
        reason: 'Public, read-only open data with no users to sign in: callers are identified by API keys bound to ' +
          'a usage plan (rate, burst, daily quota), as in the original deployment; CloudFront adds the web app\'s key.',
      })),
      {
        id: 'AwsSolutions-APIG3',
        reason: 'No WAF web ACL (a fixed monthly cost per ACL plus per-request fees): every key is throttled and ' +
          'capped by the usage plan and the stage has an overall throttle.',
      },
    );
    Validations.of(this.restApi.node.findChild('CloudWatchRole')).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason: 'API Gateway\'s account-level logging role, required for the access logs; this AWS managed policy is ' +
        'the one AWS documents for it.',
    });
    Validations.of(this.webAppKeySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The value is copied by CloudFormation into the API key and the CloudFront origin header at deploy time; ' +
        'a rotation Lambda would change the secret without either. Rotation is a redeploy (docs/deploy.md).',
    });
  }

  /**
   * Allows one browser origin: preflight answers on every resource, the gateway's own 4xx/5xx
   * answers, and the functions' answers (CORS_ALLOWED_ORIGINS). Without a call, no CORS at all.
   */
  allowBrowserOrigin(origin: string): void {
    if (this.browserOrigin !== undefined) throw new Error('AccidentsApi allows a single browser origin');
    this.browserOrigin = origin;
    for (const resource of this.resources) {
      resource.addCorsPreflight({
        allowOrigins: [origin],
        allowMethods: ['GET', 'OPTIONS'],
        allowHeaders: ['Content-Type', 'X-Api-Key'],
        maxAge: Duration.hours(1),
      });
    }
    const headers = { 'Access-Control-Allow-Origin': `'${origin}'`, 'Vary': "'Origin'" };
    this.restApi.addGatewayResponse('Default4xx', { type: apigw.ResponseType.DEFAULT_4XX, responseHeaders: headers });
    this.restApi.addGatewayResponse('Default5xx', { type: apigw.ResponseType.DEFAULT_5XX, responseHeaders: headers });
    for (const fn of this.functions) fn.function.addEnvironment('CORS_ALLOWED_ORIGINS', origin);
  }
}
