// The test browser lives in support/ because the benchmark drives Portvagt with it too.
export * from '../../support/browser.ts';
