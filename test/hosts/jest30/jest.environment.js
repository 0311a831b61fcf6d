// jsdom, plus the web platform's structuredClone, which jsdom lacks and the kit's form uses.
import { TestEnvironment } from 'jest-environment-jsdom';

export default class JsdomWithStructuredClone extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.structuredClone ??= structuredClone;
  }
}
