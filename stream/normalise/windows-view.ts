/**
 * One view over both Windows shapes. Flat JSON (NXLog & co.) already has the event data
 * as top-level keys. EVTX converted to JSON nests it: `Event.System` holds the header
 * (EventID, Channel, Computer, TimeCreated.SystemTime as an attribute), and the data sits
 * in `Event.EventData` as named keys, or as `Data` items `{"#attributes": {"Name": ..},
 * "#text": ..}` (or `@Name`), or in `Event.UserData.<Element>`. The normaliser reads both
 * through this view so the two shapes map to the same common fields.
 */
import { flattenFields, int, isPlainObject } from './common.js';

export interface WindowsView {
  /** Event data by name (`Image`, `TargetUserName`, …). */
  data: Record<string, unknown>;
  eventId: number | null;
  channel: string | null;
  computer: string | null;
  /** EVTX System.TimeCreated.SystemTime (UTC by definition); null for flat events. */
  systemTime: string | null;
  keywords: unknown;
  /** The source's own fields, flattened. */
  fields: Record<string, string>;
}

/** An XML attribute as the converters write it: `#attributes.Name`, `@Name` or `Name`. */
function attr(node: unknown, name: string): unknown {
  if (!isPlainObject(node)) return undefined;
  const attrs = node['#attributes'];
  if (isPlainObject(attrs) && name in attrs) return attrs[name];
  if (`@${name}` in node) return node[`@${name}`];
  return node[name];
}

/** Element text: a scalar, or `#text` / `$` / `value` of an object. */
function text(v: unknown): unknown {
  if (!isPlainObject(v)) return v;
  return v['#text'] ?? v.$ ?? v.value ?? null;
}

/** Removes the converter's `#attributes` / `#text` wrapping so field names read like the XML. */
function unwrap(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrap);
  if (!isPlainObject(v)) return v;
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0] === '#text') return v['#text'];
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const x = v[k];
    if (k === '#attributes' && isPlainObject(x)) {
      for (const [ak, av] of Object.entries(x)) if (ak !== 'xmlns') out[ak] = av;
    } else if (k === '#text') out.text = x;
    else if (k.startsWith('@')) out[k.slice(1)] = x;
    else out[k] = unwrap(x);
  }
  return out;
}

function eventData(ed: unknown, out: Record<string, unknown>): void {
  if (!isPlainObject(ed)) return;
  for (const [k, v] of Object.entries(ed)) {
    if (k === '#attributes' || k.startsWith('@')) continue;
    if (k === 'Data') {
      const items = Array.isArray(v) ? v : [v];
      items.forEach((item, i) => {
        const name = attr(item, 'Name');
        const value = text(item);
        if (typeof name === 'string' && name !== '') out[name] = value;
        else if (value !== null && value !== undefined) out[`Data.${i + 1}`] = value;
      });
    } else {
      out[k] = unwrap(v);
    }
  }
}

export function flatView(obj: Record<string, unknown>): WindowsView {
  const computer = obj.Hostname ?? obj.Computer ?? obj.ComputerName;
  return {
    data: obj,
    eventId: int(obj.EventID),
    channel: typeof obj.Channel === 'string' ? obj.Channel : null,
    computer: typeof computer === 'string' ? computer : null,
    systemTime: null,
    keywords: obj.Keywords,
    fields: flattenFields(obj),
  };
}

export function evtxView(obj: Record<string, unknown>): WindowsView {
  const event = obj.Event as Record<string, unknown>;
  const system = (isPlainObject(event.System) ? event.System : {}) as Record<string, unknown>;
  const data: Record<string, unknown> = {};
  eventData(event.EventData, data);
  if (isPlainObject(event.UserData)) {
    // UserData has one child element named after the event's template
    for (const child of Object.values(event.UserData)) if (isPlainObject(child)) eventData(child, data);
  }
  const userId = attr(system.Security, 'UserID');
  if (userId !== undefined && !('UserID' in data)) data.UserID = userId;
  const fields = flattenFields(data);
  flattenFields(unwrap(system) as Record<string, unknown>, fields, 'System');
  const systemTime = attr(system.TimeCreated, 'SystemTime');
  const channel = text(system.Channel);
  const computer = text(system.Computer);
  return {
    data,
    eventId: int(text(system.EventID)),
    channel: typeof channel === 'string' ? channel : null,
    computer: typeof computer === 'string' ? computer : null,
    systemTime: typeof systemTime === 'string' ? systemTime : null,
    keywords: text(system.Keywords),
    fields,
  };
}
