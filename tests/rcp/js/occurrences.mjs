// The occurrences of iCalendar files as ical.js (the parser of Thunderbird)
// reads them, trusting each file's own VTIMEZONEs and nothing else.
//
//   node occurrences.mjs FROM TO FILE...   (FROM, TO: Unix seconds)
//
// Prints one JSON array per file: {uid, start, end, summary, description, alarm}
// for each occurrence starting from FROM to TO, overrides (RECURRENCE-ID)
// applied; start, end and alarm in Unix seconds (alarm: null without VALARM).
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [from, to, ...files] = process.argv.slice(2);
const results = [];
for (const file of files) {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  ICAL.TimezoneService.reset(); // no zone but the file's own
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  // Each event with its own overrides (by UID, as a calendar client does):
  // left alone, ical.js relates every override of the file to every event.
  const events = calendar.getAllSubcomponents("vevent");
  const overrides = new Map();
  for (const component of events.filter((e) => e.hasProperty("recurrence-id"))) {
    const uid = component.getFirstPropertyValue("uid");
    overrides.set(uid, [...(overrides.get(uid) ?? []), component]);
  }
  const masters = new Map();
  for (const component of events.filter((e) => !e.hasProperty("recurrence-id"))) {
    const uid = component.getFirstPropertyValue("uid");
    const exceptions = overrides.get(uid) ?? [];
    masters.set(uid, new ICAL.Event(component, { strictExceptions: true, exceptions }));
  }
  const found = [];
  for (const [uid, event] of masters) {
    const iterator = event.iterator();
    for (let next = iterator.next(); next; next = iterator.next()) {
      if (next.toUnixTime() > Number(to) + 40 * 86400) break; // a moved one may come later
      const details = event.getOccurrenceDetails(next);
      const start = details.startDate.toUnixTime();
      if (start < Number(from) || start > Number(to)) continue;
      const alarm = details.item.component.getFirstSubcomponent("valarm");
      let alarmAt = null;
      if (alarm) {
        const when = details.startDate.clone();
        when.addDuration(alarm.getFirstPropertyValue("trigger"));
        alarmAt = when.toUnixTime();
      }
      found.push({
        uid,
        start,
        end: details.endDate.toUnixTime(),
        summary: details.item.summary,
        description: details.item.description,
        alarm: alarmAt,
      });
    }
  }
  results.push(found);
}
process.stdout.write(JSON.stringify(results));
