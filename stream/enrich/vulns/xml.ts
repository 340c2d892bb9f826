/** The XML parser settings shared by the scan importers: attributes kept, values left as text. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { NightjarError } from '../../../core/errors.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: true, // nmap writes newlines in script output as &#xa;
});

export function parseXml(text: string, source: string): Record<string, unknown> {
  // the parser itself is lenient (an unclosed tag gives a partial tree); a truncated
  // report must be refused, so the previous one is kept
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new NightjarError('SCAN_REPORT_INVALID', `${source}: not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  }
  try {
    return parser.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new NightjarError('SCAN_REPORT_INVALID', `${source}: not well-formed XML: ${(err as Error).message}`, { cause: err });
  }
}
