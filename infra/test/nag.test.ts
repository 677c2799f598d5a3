import { App, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { synthApp, testConfig } from './fixture-app';

/** Every acknowledgement recorded in the tree, with the path it was recorded on. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) => c.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.entries(entry.data as Record<string, string>)
      .map(([id, reason]) => ({ path: c.node.path, id, reason }))));
}

function findings(app: App) {
  app.synth(); // aspects and lazy values settle as they do under `cdk synth`
  return new AwsSolutionsChecks().validateScope(app).violations.map((v) => ({
    rule: v.ruleName,
    severity: v.severity,
    at: v.violatingResources.map((r) => r.constructPath),
  }));
}

describe('cdk-nag AwsSolutions', () => {
  test('no unacknowledged error or warning, with the web app deployed', () => {
    expect(findings(synthApp().app)).toEqual([]);
  });

  test('no unacknowledged error or warning, without a web app', () => {
    const report = jest.spyOn(console, 'error').mockImplementation(() => undefined); // the missing-web-app warning
    expect(findings(synthApp(testConfig({ webAssetsPath: undefined })).app)).toEqual([]);
    report.mockRestore();
  });

  test('every acknowledgement names one rule and gives a specific reason', () => {
    const acks = acknowledgements(synthApp().app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id).toMatch(/^Annotation::AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(ack.reason.length).toBeGreaterThan(60);
    }
    // Acknowledged where the finding is, never for a whole stack or the app.
    expect(acks.filter((ack) => !ack.path.includes('/'))).toEqual([]);
  });

  test('the checks catch a regression: an unacknowledged finding fails', () => {
    const { app, service } = synthApp();
    const fn = service.api.functions[0].function;
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    expect(findings(app).map((f) => f.rule)).toEqual(expect.arrayContaining(['AwsSolutions-IAM5[Action::s3:*]']));
  });
});
