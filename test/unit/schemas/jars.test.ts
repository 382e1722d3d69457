import { describe, expect, it } from 'vitest';
import { ApplicationRunResponseSchema, JarListSchema, JarRunResponseSchema, JarUploadResponseSchema } from '../../../src/schemas/jars.js';
import { describeSchemaCases, fixture } from './schema-cases.js';

describeSchemaCases([
  {
    name: 'JarListSchema (GET /jars)',
    schema: JarListSchema,
    fixtures: ['jars/jar-list.2.3.json', 'jars/jar-list.1.20.json', 'jars/jar-list-empty.json'],
    objectPaths: [[], ['files', 0], ['files', 0, 'entry', 0]],
    wrongTypes: [
      [['files'], {}],
      [['files', 0, 'uploaded'], '1795239586316'],
      [['files', 0, 'entry'], null],
    ],
  },
  {
    name: 'JarUploadResponseSchema (POST /jars/upload)',
    schema: JarUploadResponseSchema,
    fixtures: ['jars/jar-upload.2.3.json', 'jars/jar-upload.1.20.json'],
    objectPaths: [[]],
    enumPaths: [['status']],
    wrongTypes: [
      [['filename'], null],
      [['status'], true],
    ],
  },
  {
    name: 'JarRunResponseSchema (POST /jars/:id/run)',
    schema: JarRunResponseSchema,
    fixtures: ['jars/jar-run.2.3.json', 'jars/jar-run.1.20.json'],
    objectPaths: [[]],
    wrongTypes: [
      [['jobid'], null],
      [['applicationId'], 7],
    ],
  },
  {
    name: 'ApplicationRunResponseSchema (POST /jars/:id/run-application)',
    schema: ApplicationRunResponseSchema,
    fixtures: ['jars/application-run.2.3.json'],
    objectPaths: [[]],
    wrongTypes: [[['applicationid'], { bytes: 'NFFYHsc4gJRj8AjZnFi3eA==', lowerPart: 1, upperPart: 2 }]],
  },
]);

describe('jar schemas, version differences', () => {
  it('treats applicationId of /jars/:id/run as a 2.3 addition', () => {
    expect(JarRunResponseSchema.for('strict').parse(fixture('jars/jar-run.1.20.json')).applicationId).toBeUndefined();
    expect(JarRunResponseSchema.for('strict').parse(fixture('jars/jar-run.2.3.json')).applicationId).toBe('e80855c7d9e93d12b330ff018283fb87');
  });

  it('keeps the lower-case applicationid of /run-application distinct from applicationId', () => {
    expect(ApplicationRunResponseSchema.for('lenient').safeParse({ applicationId: '3451581ec738809463f008fd99c58b78' }).success).toBe(false);
  });

  it('accepts a null entry description', () => {
    const parsed = JarListSchema.for('strict').parse(fixture('jars/jar-list.2.3.json'));
    expect(parsed.files[0]?.entry[0]?.description).toBeNull();
  });
});
