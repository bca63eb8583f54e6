"""pydantic v2 models of the Log Events API: the five event types and their union `LogEvent`.

Generated from schema/export/log_event.schema.json by datamodel-code-generator;
do not edit by hand. Regenerate with `python python/generate_models.py` (a test fails while this
file is stale). Load events with `LogEvent.model_validate_json(text)` and write
them back with `model_dump_json(by_alias=True)`: unknown fields are kept
(`extra='allow'`), an absent field stays absent (`MISSING`), `null` stays `null`.
"""
from __future__ import annotations

from typing import Annotated, Literal, Optional, Union

from aperture_events._types import MISSING, CANONICAL_SPELLINGS, CaseInsensitiveValue, Count, ItemSize, Severity, Timestamp
from pydantic import BaseModel, ConfigDict, Field, RootModel


class ActivityAction(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='Action a cloud app user performed. The doc lists no values; these are the ones seen in traffic. An open set: any string is accepted.',
            title='ActivityAction',
        ),
    ]


class AdminAction(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='Configuration change activity. Documented as create, edit, delete, login or logout; real traffic also sends sign_in and sign_out. An open set: any string is accepted.',
            title='AdminAction',
        ),
    ]


class AdminEventType(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description="Type of a configuration change event. The doc's `remediationlogin` is two values run together, `remediation` and `login`. An open set: any string is accepted.",
            title='AdminEventType',
        ),
    ]


class AdminItemType(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='Type of configuration item that changed. An open set: any string is accepted, the known values are listed.',
            title='AdminItemType',
        ),
    ]


class AdminRole(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='Role of an administrative user. An open set: any string is accepted, the known values are listed.',
            title='AdminRole',
        ),
    ]


class CloudAppInstance(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='Cloud app name (the instance the tenant connected, not the cloud app type).',
            examples=['My Cloud App', 'Office 365 8'],
            title='CloudAppInstance',
        ),
    ]


class ContainerName(RootModel[Optional[str]]):
    root: Annotated[
        Optional[str],
        Field(
            description='Bucket name for AWS S3, Google Cloud Platform and Microsoft Azure assets; null for the remaining apps.',
            examples=['test-container', None],
            title='ContainerName',
        ),
    ]


class EmailAddress(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='A user or account name, usually an email address. Not validated as one: the API sends whatever the cloud app calls the account. Personal data.',
            examples=['owner@emaildomain.com'],
            title='EmailAddress',
        ),
    ]


class Exposure(CaseInsensitiveValue, RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='Exposure level of the asset. Documented as Public, External, Company or Internal; sent in upper case. An open set: any string is accepted, the known values are listed.',
            examples=['COMPANY', 'Public'],
            title='Exposure',
        ),
    ]


class Identifier(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description="An opaque identifier. Real data has 24 hexadecimal characters, the vendor's examples 32: compare it, never parse it.",
            examples=['5eb5ed492021c32b37588a6c'],
            title='Identifier',
        ),
    ]


class IncidentCategory(RootModel[Optional[str]]):
    root: Annotated[
        Optional[str],
        Field(
            description='Category of an incident. An open set: any string is accepted, the known values are listed.',
            title='IncidentCategory',
        ),
    ]


class ItemType(CaseInsensitiveValue, RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='Type of the item an event is about. Documented as File, Folder or User; activity events send it in lower case. An open set: any string is accepted, the known values are listed.',
            examples=['File', 'file'],
            title='ItemType',
        ),
    ]


class ItemVerdict(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='WildFire verdict on a file. An open set: any string is accepted, the known values are listed.',
            title='ItemVerdict',
        ),
    ]


class NullableEmailAddress(RootModel[Optional[str]]):
    root: Annotated[
        Optional[str],
        Field(
            description='An email address, or null where the API has none to give. Personal data.',
            examples=['owner@emaildomain.com', None],
            title='NullableEmailAddress',
        ),
    ]


class PolicyRuleName(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='Names of one or more policy rules (not policy types) that were matched, as one string.',
            examples=['PCI Policy'],
            title='PolicyRuleName',
        ),
    ]


class RemediationAction(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='Action taken to remediate an incident. The doc lists Admin Quarantine, UserQuarantine and Remove Public Links; its own example sends `quarantine`. An open set: any string is accepted.',
            title='RemediationAction',
        ),
    ]


class Serial(RootModel[Optional[str]]):
    root: Annotated[
        Optional[str],
        Field(
            description='Serial number of the organization using the service (the tenant).',
            examples=['mySerial', '1234567890'],
            title='Serial',
        ),
    ]


class ViolationAction(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='Action taken on a policy violation. The doc gives Alerted Admin, Removed PublicLinks, Quarantine and EmailOwner as examples; its own example sends `download`. An open set: any string is accepted.',
            title='ViolationAction',
        ),
    ]


class ActivityMonitoring(BaseModel):
    model_config = ConfigDict(
        extra='allow',
    )
    log_type: Annotated[
        Literal['activity_monitoring'],
        Field(description='Event type; always `activity_monitoring` for this event.'),
    ]
    item_type: Annotated[
        Union[ItemType, MISSING],
        Field(
            description='Item type (File, Folder or User; lower case in real traffic).'
        ),
    ] = MISSING
    item_name: Annotated[
        Union[str, MISSING],
        Field(
            description='Name of the file, folder or user associated with the event. For users, usually an email address (personal data).'
        ),
    ] = MISSING
    item_unique_id: Annotated[
        Union[Identifier, MISSING],
        Field(
            description="Unique ID of the asset's related asset. Absent from older events."
        ),
    ] = MISSING
    user: Annotated[
        Union[EmailAddress, MISSING],
        Field(
            description='Cloud app user that performed the action, usually an email address (personal data).'
        ),
    ] = MISSING
    source_ip: Annotated[
        Union[str, MISSING],
        Field(
            description='Source IP address of the original session (personal data). Not validated as an address.'
        ),
    ] = MISSING
    location: Annotated[
        Union[str, MISSING],
        Field(description='Location of the cloud app user that performed the action.'),
    ] = MISSING
    action: Annotated[
        Union[ActivityAction, MISSING], Field(description='Action performed.')
    ] = MISSING
    target_name: Annotated[
        Union[Optional[str], MISSING],
        Field(
            description='Target name. Documented as always null; real traffic also sends strings.'
        ),
    ] = MISSING
    target_type: Annotated[
        Union[Optional[str], MISSING],
        Field(
            description='Target type. Documented as always null; real traffic often sends an empty string.'
        ),
    ] = MISSING
    serial: Annotated[
        Union[Optional[Serial], MISSING],
        Field(
            description='Serial number of the organization using the service (the tenant).'
        ),
    ] = MISSING
    cloud_app_instance: Annotated[
        Union[CloudAppInstance, MISSING],
        Field(description='Cloud app name (not cloud app type).'),
    ] = MISSING
    timestamp: Annotated[Timestamp, Field(description='When the event occurred.')]
    severity: Annotated[
        Union[Severity, MISSING],
        Field(
            description='Severity of the activity, 0 to 5, as on incidents. Not in the doc\'s table for this event type; published captures of activity events carry it (`"severity": 1`).'
        ),
    ] = MISSING


class AdminAudit(BaseModel):
    model_config = ConfigDict(
        extra='allow',
    )
    log_type: Annotated[
        Literal['admin_audit'],
        Field(description='Event type; always `admin_audit` for this event.'),
    ]
    timestamp: Annotated[Timestamp, Field(description='When the event occurred.')]
    serial: Annotated[
        Union[Optional[Serial], MISSING],
        Field(
            description='Serial number of the organization using the service (the tenant).'
        ),
    ] = MISSING
    admin_id: Annotated[
        Union[EmailAddress, MISSING],
        Field(description='Email account of the administrative user (personal data).'),
    ] = MISSING
    admin_role: Annotated[
        Union[AdminRole, MISSING],
        Field(
            description='Role assigned to the administrative user: super_admin, admin, limited_admin or read_only.'
        ),
    ] = MISSING
    ip: Annotated[
        Union[str, MISSING],
        Field(
            description="IP address of the administrative user who performed the action (personal data). Not validated as an address: the doc's own example sends `ip address`."
        ),
    ] = MISSING
    event_type: Annotated[
        Union[AdminEventType, MISSING],
        Field(
            description='Type of configuration change event: settings, policy, remediation or login.'
        ),
    ] = MISSING
    item_type: Annotated[
        Union[AdminItemType, MISSING],
        Field(
            description='Type of item in the configuration that changed: user, apps, settings, content_policy, file, risk or general_settings.'
        ),
    ] = MISSING
    item_name: Annotated[
        Union[str, MISSING],
        Field(description='Name of the item that changed in the configuration.'),
    ] = MISSING
    field: Annotated[
        Union[Optional[str], MISSING],
        Field(
            description='Name of the field associated with the configuration change; null when the event changes no field.'
        ),
    ] = MISSING
    action: Annotated[
        Union[AdminAction, MISSING],
        Field(
            description='Configuration change activity that occurred: create, edit, delete, login or logout (sign_in and sign_out in real traffic).'
        ),
    ] = MISSING
    resource_value_old: Annotated[
        Union[Optional[str], MISSING],
        Field(
            description='Value before the configuration change occurred; null when there was none.'
        ),
    ] = MISSING
    resource_value_new: Annotated[
        Union[Optional[str], MISSING],
        Field(
            description='Value after the configuration change occurred; null when there is none.'
        ),
    ] = MISSING


class Incident(BaseModel):
    model_config = ConfigDict(
        extra='allow',
    )
    log_type: Annotated[
        Literal['incident'],
        Field(description='Event type; always `incident` for this event.'),
    ]
    severity: Annotated[
        Union[Severity, MISSING],
        Field(description='Incident severity, 0 to 5. Absent from older events.'),
    ] = MISSING
    item_type: Annotated[
        Union[ItemType, MISSING], Field(description='Item type (File, Folder or User).')
    ] = MISSING
    item_name: Annotated[
        Union[str, MISSING],
        Field(
            description='Name of the file, folder, email subject or user associated with the event.'
        ),
    ] = MISSING
    item_unique_id: Annotated[
        Union[Identifier, MISSING],
        Field(description="Unique ID of the asset's related asset."),
    ] = MISSING
    asset_id: Annotated[
        Union[Identifier, MISSING],
        Field(description='Unique ID of the asset identified as a risk.'),
    ] = MISSING
    item_owner: Annotated[
        Union[str, MISSING],
        Field(
            description='User who owns the asset identified as a risk (personal data).'
        ),
    ] = MISSING
    container_name: Annotated[
        Union[Optional[ContainerName], MISSING],
        Field(
            description='Bucket name for AWS S3, Google Cloud Platform and Microsoft Azure assets; null for the remaining apps.'
        ),
    ] = MISSING
    item_creator: Annotated[
        Union[str, MISSING],
        Field(
            description='User who created the asset identified as a risk (personal data).'
        ),
    ] = MISSING
    exposure: Annotated[
        Union[Exposure, MISSING],
        Field(
            description='Exposure level (Public, External, Company or Internal; upper case in real traffic).'
        ),
    ] = MISSING
    occurrences_by_rule: Annotated[
        Union[Optional[Count], MISSING],
        Field(
            description="Number of times the asset violated the policy: a count, so an integer, at most 2^53 - 1 (the largest integer every JSON consumer reads exactly). Null in the vendor's own example.",
            ge=0,
            le=9007199254740991,
        ),
    ] = MISSING
    item_owner_email: Annotated[
        Union[Optional[NullableEmailAddress], MISSING],
        Field(description='Email address of the item owner (personal data).'),
    ] = MISSING
    item_creator_email: Annotated[
        Union[Optional[NullableEmailAddress], MISSING],
        Field(description='Email address of the item creator (personal data).'),
    ] = MISSING
    serial: Annotated[
        Union[Optional[Serial], MISSING],
        Field(
            description='Serial number of the organization using the service (the tenant).'
        ),
    ] = MISSING
    cloud_app_instance: Annotated[
        Union[CloudAppInstance, MISSING],
        Field(description='Cloud app name (not cloud app type).'),
    ] = MISSING
    timestamp: Annotated[Timestamp, Field(description='When the event occurred.')]
    incident_id: Annotated[
        Identifier,
        Field(
            description='Unique ID of the incident. Required: consumers key incidents on it.'
        ),
    ]
    policy_rule_name: Annotated[
        Union[PolicyRuleName, MISSING],
        Field(
            description='Names of one or more policy rules (not policy types) that were matched.'
        ),
    ] = MISSING
    incident_category: Annotated[
        Union[Optional[IncidentCategory], MISSING],
        Field(
            description='Category of the incident, for example Personal or Business Justified. Null when uncategorised.'
        ),
    ] = MISSING
    incident_owner: Annotated[
        Union[Optional[str], MISSING],
        Field(
            description='Administrator assigned to the incident (personal data). Null when unassigned.'
        ),
    ] = MISSING
    collaborators: Annotated[
        Union[str, MISSING],
        Field(
            description='Collaborators on the file, or recipients of the email, as one string (possibly empty), not a JSON array (personal data).'
        ),
    ] = MISSING
    datetime_edited: Annotated[
        Union[Timestamp, MISSING], Field(description='Last time the file was edited.')
    ] = MISSING
    item_cloud_url: Annotated[
        Union[str, MISSING],
        Field(
            description='URL of the file associated with the incident, used to download or view the asset. Not validated as a URL.'
        ),
    ] = MISSING
    item_owner_group: Annotated[
        Union[str, MISSING],
        Field(description='Active Directory groups to which the asset owner belongs.'),
    ] = MISSING
    item_sha256: Annotated[
        Union[str, MISSING],
        Field(description='SHA-256 hash of the file, as reported by WildFire.'),
    ] = MISSING
    item_size: Annotated[
        Union[ItemSize, MISSING],
        Field(description='Size of the file in bytes, as reported by WildFire.'),
    ] = MISSING
    item_verdict: Annotated[
        Union[ItemVerdict, MISSING],
        Field(
            description='Verdict as reported by WildFire: malware, benign or not available.'
        ),
    ] = MISSING


class PolicyViolation(BaseModel):
    model_config = ConfigDict(
        extra='allow',
    )
    log_type: Annotated[
        Literal['policy_violation'],
        Field(description='Event type; always `policy_violation` for this event.'),
    ]
    item_type: Annotated[
        Union[ItemType, MISSING], Field(description='Item type (File, Folder or User).')
    ] = MISSING
    item_name: Annotated[
        Union[str, MISSING],
        Field(
            description='Name of the file, folder or user associated with the event.'
        ),
    ] = MISSING
    serial: Annotated[
        Union[Optional[Serial], MISSING],
        Field(
            description='Serial number of the organization using the service (the tenant).'
        ),
    ] = MISSING
    cloud_app_instance: Annotated[
        Union[CloudAppInstance, MISSING],
        Field(description='Cloud app name (not cloud app type).'),
    ] = MISSING
    timestamp: Annotated[
        Timestamp, Field(description='When the policy violation occurred.')
    ]
    incident_id: Annotated[
        Identifier,
        Field(
            description='Unique ID of the policy violation incident (risk). Required: consumers key violations on it.'
        ),
    ]
    asset_id: Annotated[
        Union[Identifier, MISSING],
        Field(description='Unique ID of the asset which violated the policy.'),
    ] = MISSING
    item_owner: Annotated[
        Union[str, MISSING],
        Field(
            description='User who owns the asset which violated the policy (personal data).'
        ),
    ] = MISSING
    item_creator: Annotated[
        Union[str, MISSING],
        Field(
            description='User who created the asset which violated the policy (personal data).'
        ),
    ] = MISSING
    policy_rule_name: Annotated[
        Union[PolicyRuleName, MISSING],
        Field(
            description='Names of one or more policy rules (not policy types) that were matched.'
        ),
    ] = MISSING
    action_taken: Annotated[
        Union[ViolationAction, MISSING],
        Field(
            description='Action taken to fix the policy violation, for example Alerted Admin, Removed PublicLinks, Quarantine or EmailOwner.'
        ),
    ] = MISSING
    action_taken_by: Annotated[
        Union[str, MISSING],
        Field(
            description='Cloud app user who took the action (personal data); `Aperture` for automated remediation.'
        ),
    ] = MISSING
    severity: Annotated[
        Union[Severity, MISSING], Field(description='Incident severity, 0 to 5.')
    ] = MISSING
    item_owner_email: Annotated[
        Union[Optional[NullableEmailAddress], MISSING],
        Field(
            description='Email address of the item owner (personal data). Documented as null for now.'
        ),
    ] = MISSING
    item_creator_email: Annotated[
        Union[Optional[NullableEmailAddress], MISSING],
        Field(
            description='Email address of the item creator (personal data). Documented as null for now.'
        ),
    ] = MISSING


class Remediation(BaseModel):
    model_config = ConfigDict(
        extra='allow',
    )
    log_type: Annotated[
        Literal['remediation'],
        Field(description='Event type; always `remediation` for this event.'),
    ]
    item_type: Annotated[
        Union[ItemType, MISSING], Field(description='Item type (File, Folder or User).')
    ] = MISSING
    item_name: Annotated[
        Union[str, MISSING],
        Field(
            description='Name of the file, folder or user associated with the event.'
        ),
    ] = MISSING
    serial: Annotated[
        Union[Optional[Serial], MISSING],
        Field(
            description='Serial number of the organization using the service (the tenant).'
        ),
    ] = MISSING
    cloud_app_instance: Annotated[
        Union[CloudAppInstance, MISSING],
        Field(description='Cloud app name (not cloud app type).'),
    ] = MISSING
    timestamp: Annotated[Timestamp, Field(description='When the remediation occurred.')]
    incident_id: Annotated[
        Identifier,
        Field(
            description='Unique ID of the remediated incident (risk). Required: consumers key remediations on it.'
        ),
    ]
    asset_id: Annotated[
        Union[Identifier, MISSING],
        Field(description='Unique ID of the remediated asset.'),
    ] = MISSING
    item_owner: Annotated[
        Union[str, MISSING],
        Field(description='User who owns the remediated asset (personal data).'),
    ] = MISSING
    container_name: Annotated[
        Union[Optional[ContainerName], MISSING],
        Field(
            description='Bucket name for AWS S3, Google Cloud Platform and Microsoft Azure assets; null for the remaining apps.'
        ),
    ] = MISSING
    item_creator: Annotated[
        Union[str, MISSING],
        Field(description='User who created the remediated asset (personal data).'),
    ] = MISSING
    policy_rule_name: Annotated[
        Union[PolicyRuleName, MISSING],
        Field(
            description='Names of one or more policy rules (not policy types) that were matched.'
        ),
    ] = MISSING
    action_taken: Annotated[
        Union[RemediationAction, MISSING],
        Field(
            description='Action taken to remediate (Admin Quarantine, UserQuarantine or Remove Public Links).'
        ),
    ] = MISSING
    action_taken_by: Annotated[
        Union[str, MISSING],
        Field(
            description='Cloud app user who took the remediation action (personal data); `Aperture` for automated remediation.'
        ),
    ] = MISSING
    item_owner_email: Annotated[
        Union[Optional[NullableEmailAddress], MISSING],
        Field(description='Email address of the item owner (personal data).'),
    ] = MISSING
    item_creator_email: Annotated[
        Union[Optional[NullableEmailAddress], MISSING],
        Field(description='Email address of the item creator (personal data).'),
    ] = MISSING


class LogEvent(
    RootModel[Union[ActivityMonitoring, Incident, Remediation, PolicyViolation, AdminAudit]]
):
    root: Annotated[
        Union[ActivityMonitoring, Incident, Remediation, PolicyViolation, AdminAudit],
        Field(
            description='One event of the Log Events API, of any of the five documented types, told apart by `log_type`. Events of other types are not listed here: the generated types keep them whole and the validator reports them as `unknown_type`.',
            discriminator='log_type',
            title='LogEvent',
        ),
    ]


# Open value sets: the known values and the undocumented spellings real traffic uses.
OPEN_VALUE_SETS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    'ActivityAction': (frozenset(['create', 'delete', 'login', 'preview']), frozenset([])),
    'AdminAction': (frozenset(['create', 'delete', 'edit', 'login', 'logout', 'sign_in', 'sign_out']), frozenset([])),
    'AdminEventType': (frozenset(['login', 'policy', 'remediation', 'settings']), frozenset([])),
    'AdminItemType': (frozenset(['apps', 'content_policy', 'file', 'general_settings', 'risk', 'settings', 'user']), frozenset([])),
    'AdminRole': (frozenset(['admin', 'limited_admin', 'read_only', 'super_admin']), frozenset([])),
    'Exposure': (frozenset(['COMPANY', 'Company', 'EXTERNAL', 'External', 'INTERNAL', 'Internal', 'PUBLIC', 'Public']), frozenset(['COMPANY', 'EXTERNAL', 'INTERNAL', 'PUBLIC'])),
    'IncidentCategory': (frozenset(['Business Justified', 'Personal']), frozenset([])),
    'ItemType': (frozenset(['File', 'Folder', 'User', 'file', 'folder', 'user']), frozenset(['file', 'folder', 'user'])),
    'ItemVerdict': (frozenset(['benign', 'malware', 'not available']), frozenset([])),
    'RemediationAction': (frozenset(['Admin Quarantine', 'Remove Public Links', 'UserQuarantine', 'quarantine']), frozenset([])),
    'ViolationAction': (frozenset(['Alerted Admin', 'EmailOwner', 'Quarantine', 'Removed PublicLinks', 'download']), frozenset([])),
}

# Sets whose known values are one value in any ASCII case (x-case-insensitive): compared by value.
CANONICAL_SPELLINGS.update({
    'Exposure': {'company': 'Company', 'external': 'External', 'internal': 'Internal', 'public': 'Public'},
    'ItemType': {'file': 'File', 'folder': 'Folder', 'user': 'User'},
})
