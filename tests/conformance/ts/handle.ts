// A consumer of the TypeScript types that json-schema-to-typescript generates
// from schema/export/log_event.schema.json. run.sh generates `log_event.ts`
// next to a copy of this file and compiles both with `tsc --strict --noEmit`:
// if the generated types lose the union's discriminant, a field's type, the
// nullables or the room for unknown fields, this stops compiling.

import type {
  ActivityMonitoring,
  AdminAudit,
  Incident,
  LogEvent,
  PolicyViolation,
  Remediation,
} from "./log_event";

/** One line about an event, different for each event type. */
export function describe(event: LogEvent): string {
  switch (event.log_type) {
    case "activity_monitoring":
      return activity(event);
    case "incident":
      return incident(event);
    case "remediation":
      return remediation(event);
    case "policy_violation":
      return violation(event);
    case "admin_audit":
      return audit(event);
    default: {
      // Every documented type is handled: adding a sixth to the union makes this fail.
      const unhandled: never = event;
      return unhandled;
    }
  }
}

function activity(event: ActivityMonitoring): string {
  const target: string = event.target_name ?? "(no target)";
  return `${event.timestamp} ${event.user ?? "someone"} ${event.action ?? "did something"} to ${target}`;
}

function incident(event: Incident): string {
  const severity: number = event.severity ?? 0;
  // item_size is a string in the doc and a number in real traffic.
  const size: number | undefined =
    typeof event.item_size === "number" ? event.item_size : event.item_size === undefined ? undefined : Number(event.item_size);
  const category: string = event.incident_category ?? "uncategorised";
  const occurrences: number | null | undefined = event.occurrences_by_rule;
  return `incident ${event.incident_id} severity ${severity} (${category}) size ${size ?? "?"} seen ${occurrences ?? "?"} times at ${event.timestamp}`;
}

function remediation(event: Remediation): string {
  const owner: string | null | undefined = event.item_owner_email;
  return `remediation of ${event.incident_id}: ${event.action_taken ?? "?"} (owner ${owner ?? "unknown"})`;
}

function violation(event: PolicyViolation): string {
  return `violation ${event.incident_id} of ${event.policy_rule_name ?? "?"}: ${event.action_taken ?? "?"}`;
}

function audit(event: AdminAudit): string {
  const change = event.field === null ? "no field" : `${event.field}: ${event.resource_value_old ?? "∅"} → ${event.resource_value_new ?? "∅"}`;
  return `${event.admin_id ?? "an admin"} (${event.admin_role ?? "?"}) ${event.action ?? "?"} ${change}`;
}

/** Fields the schemas do not list are kept, typed `unknown` until checked. */
export function undocumented(event: LogEvent, name: string): string | undefined {
  const value: unknown = event[name];
  return typeof value === "string" ? value : undefined;
}

// A literal of each type must type-check, quirk forms included.
export const samples: LogEvent[] = [
  { log_type: "activity_monitoring", timestamp: "2017-08-14T23:20:57Z", target_type: "", remoteAddress: "203.0.113.9" },
  { log_type: "incident", timestamp: "2020-05-08T23:50:55Z", incident_id: "5eb5ed492021c32b37588a6c", severity: 1.0, serial: null, item_size: 1335 },
  { log_type: "remediation", timestamp: "2017-02-17T00:18:55.581Z", incident_id: "9610efdcd8a74a259bf031843eac0309", item_owner_email: null },
  { log_type: "policy_violation", timestamp: "2017-01-06T19:04:06Z", incident_id: "x", action_taken: "download" },
  { log_type: "admin_audit", timestamp: "2017-04-06T21:35:10.025Z", field: null, action: "sign_in" },
];
