import { Environment } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AccidentsConfig } from './config';
import { DataStack } from './stacks/data-stack';
import { ServiceStack } from './stacks/service-stack';

export interface AccidentsStacks {
  readonly data: DataStack;
  readonly service: ServiceStack;
}

/** The whole deployment: the stateful data stack and the stateless service stack that reads it. */
export function createAccidentsStacks(scope: Construct, config: AccidentsConfig, env?: Environment): AccidentsStacks {
  const data = new DataStack(scope, 'AccidentsData', {
    env,
    description: 'NTSB aviation accidents: datasheet bucket (stateful, retained)',
    datasheetPath: config.datasheetPath,
  });
  const service = new ServiceStack(scope, 'AccidentsService', {
    env,
    description: 'NTSB aviation accidents: Lambda REST API, usage plan, CloudFront web app',
    config,
    datasheet: data.datasheet,
  });
  return { data, service };
}
