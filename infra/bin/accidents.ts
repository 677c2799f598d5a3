#!/usr/bin/env node
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createAccidentsStacks } from '../lib/accidents-app';
import { readConfig } from './config';

const app = new App();
// Environment-agnostic stacks: the deploying credentials choose account and region.
createAccidentsStacks(app, readConfig(app.node, path.resolve(__dirname, '..', '..')));
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
