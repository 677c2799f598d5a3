import { Annotations, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * Same-origin API and bundled assets only; inline styles for Leaflet and Angular's components.
 * The Angular build must not inline critical CSS (its `onload` handler is an inline script).
 */
export const DEFAULT_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The REST API reached under `/api/*`. */
export interface ApiOriginProps {
  readonly restApi: apigw.IRestApi;
  readonly stageName: string;
  /** Secret holding the web app's API key value, sent to the API as the `x-api-key` header. */
  readonly keySecret: secretsmanager.ISecret;
}

export interface WebDistributionProps {
  readonly api: ApiOriginProps;
  /** Built web app (index.html at its top); undefined deploys no content. */
  readonly webAssetsPath?: string;
  /** Receives the website bucket's server access logs and CloudFront's standard logs (needs ACLs). */
  readonly accessLogs: s3.IBucket;
  readonly contentSecurityPolicy?: string;
}

/**
 * The web app in a private bucket behind CloudFront (Origin Access Control), with `/api/*`
 * forwarded to the REST API and the web app's key added at the edge, so it never reaches a browser.
 */
export class WebDistribution extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** `https://<distribution domain>`: the browser origin of the web app. */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: WebDistributionProps) {
    super(scope, id);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'website-bucket/',
      // Build output only: recreated by every deployment.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    const securityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'CSP, HSTS, nosniff, frame and referrer policies',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: props.contentSecurityPolicy ?? DEFAULT_CONTENT_SECURITY_POLICY,
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
    });

    // Client-side routes fall back to index.html here rather than through distribution-wide error
    // responses, which would also turn the API's own 403/404 answers into an HTML 200.
    const spaRouting = new cloudfront.Function(this, 'SpaRouting', {
      comment: 'Serve index.html for paths without a file extension',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline([
        'function handler(event) {',
        '  var request = event.request;',
        "  var last = request.uri.substring(request.uri.lastIndexOf('/') + 1);",
        "  if (last.indexOf('.') === -1) { request.uri = '/index.html'; }",
        '  return request;',
        '}',
      ].join('\n')),
    });
    const apiPrefix = new cloudfront.Function(this, 'ApiPrefix', {
      comment: 'Strip /api: /api/query reaches the API as /query',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline([
        'function handler(event) {',
        '  var request = event.request;',
        "  request.uri = request.uri.substring('/api'.length);",
        '  return request;',
        '}',
      ].join('\n')),
    });

    // The origin is built from the API id, not `restApi.url`: the URL depends on the stage, whose
    // deployment holds the CORS answers naming this distribution, which would be a cycle.
    const stack = Stack.of(this);
    const apiOrigin = new origins.HttpOrigin(
      `${props.api.restApi.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
        originPath: `/${props.api.stageName}`,
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
        // A CloudFormation dynamic reference: the template names the secret, not the value.
        customHeaders: { 'x-api-key': props.api.keySecret.secretValue.unsafeUnwrap() },
      });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'NTSB aviation accidents web app and API',
      defaultRootObject: 'index.html',
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: props.accessLogs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        functionAssociations: [{ function: spaRouting, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
        compress: true,
      },
      additionalBehaviors: {
        '/api/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
          // The API answers differ by query string and key; the origin's own headers govern caching.
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: securityHeaders,
          functionAssociations: [{ function: apiPrefix, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
          compress: true,
        },
      },
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR4',
        reason: 'The default *.cloudfront.net certificate cannot be given a minimum TLS version; a custom domain with ' +
          'an ACM certificate would set TLSv1.2_2021.',
      },
      { id: 'AwsSolutions-CFR1', reason: 'Public open data for readers in any country: no geographic restriction.' },
      {
        id: 'AwsSolutions-CFR2',
        reason: 'No WAF web ACL (a fixed monthly cost per ACL plus per-request fees): the API behind /api/* is ' +
          'throttled and capped by its usage plan; the rest is static files.',
      },
    );

    if (props.webAssetsPath !== undefined) {
      new s3deploy.BucketDeployment(this, 'Content', {
        sources: [s3deploy.Source.asset(props.webAssetsPath)],
        destinationBucket: this.bucket,
        distribution: this.distribution,
        distributionPaths: ['/*'],
        prune: true,
        memoryLimit: 256,
      });
    } else {
      Annotations.of(this).addWarningV2('accidents:web-assets-missing',
        'No built web app found (web/dist/<app>/browser): the website bucket is deployed empty. ' +
        'Build it (cd web && npm run build) or pass -c webAssets=DIR, then deploy again.');
    }
  }
}
