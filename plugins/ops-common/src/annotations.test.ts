import {
  ANNOTATION_REFERENCE,
  ECOSYSTEM_ANNOTATIONS,
  OPSDECK_ANNOTATIONS,
} from './annotations';

describe('ANNOTATION_REFERENCE', () => {
  it('documents every annotation OpsDeck reads, once', () => {
    const documented = ANNOTATION_REFERENCE.map(r => r.annotation).sort();
    const read = [
      ...Object.values(OPSDECK_ANNOTATIONS),
      ...Object.values(ECOSYSTEM_ANNOTATIONS),
    ].sort();
    expect(documented).toEqual(read);
  });

  it('gives each annotation its own anchor and an example that uses it', () => {
    const anchors = ANNOTATION_REFERENCE.map(r => r.anchor);
    expect(new Set(anchors).size).toBe(anchors.length);
    for (const reference of ANNOTATION_REFERENCE) {
      expect(reference.anchor).toMatch(/^[a-z0-9-]+$/);
      expect(reference.example.startsWith(`${reference.annotation}: `)).toBe(
        true,
      );
    }
  });
});
