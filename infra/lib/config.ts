import { Duration } from 'aws-cdk-lib';
import { Period } from 'aws-cdk-lib/aws-apigateway';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** Requests per second and bucket size of an API Gateway token bucket. */
export interface ThrottleConfig {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** The web app's usage plan: the seed's rate 10 / burst 2, plus a quota. */
export interface UsagePlanConfig {
  readonly throttle: ThrottleConfig;
  readonly quota: { readonly limit: number; readonly period: Period };
}

/** The container image both functions run. */
export interface ImageConfig {
  /** Docker build context (the repository root). */
  readonly directory: string;
  /** Dockerfile, relative to `directory`. */
  readonly file: string;
  /** CMD given to the image's ENTRYPOINT (`accidents`), so the binary runs `accidents lambda`. */
  readonly command: readonly string[];
}

/** Memory and timeout shared by the query and years functions. */
export interface FunctionConfig {
  readonly memorySize: number;
  readonly timeout: Duration;
}

/** Everything the app reads from its environment, resolved once in bin/ and passed down. */
export interface AccidentsConfig {
  /** Absolute path of the CSV deployed to the datasheet bucket. */
  readonly datasheetPath: string;
  /** Absolute path of the built web app (`index.html` at its top), or undefined to deploy none. */
  readonly webAssetsPath?: string;
  readonly image: ImageConfig;
  readonly functions: FunctionConfig;
  readonly usagePlan: UsagePlanConfig;
  /** Stage-wide ceiling over all keys. */
  readonly stageThrottle: ThrottleConfig;
  /** Origin allowed by CORS; undefined means the CloudFront distribution's own origin. */
  readonly webOrigin?: string;
  readonly logRetention: RetentionDays;
}

/** Object key of the datasheet in its bucket, as the original deployment named it. */
export const DATASHEET_OBJECT_KEY = 'AviationData.csv';

/** Values not taken from context. */
export const DEFAULTS = {
  datasheetPath: 'build/demo/AviationData.csv',
  webAssetsGlobParent: 'web/dist',
  dockerfile: 'deploy/Dockerfile',
  imageCommand: ['lambda'],
  functions: { memorySize: 1024, timeout: Duration.seconds(10) },
  usagePlan: {
    throttle: { rateLimit: 10, burstLimit: 2 },
    quota: { limit: 10_000, period: Period.DAY },
  },
  stageThrottle: { rateLimit: 50, burstLimit: 20 },
  logRetention: RetentionDays.ONE_MONTH,
} as const;
