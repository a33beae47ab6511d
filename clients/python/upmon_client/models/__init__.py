"""Contains all the data models used in inputs/outputs"""

from .advice import Advice
from .analysis import Analysis
from .analysis_body import AnalysisBody
from .analysis_by_metric import AnalysisByMetric
from .analysis_by_severity import AnalysisBySeverity
from .anomaly_change import AnomalyChange
from .anomaly_change_trend import AnomalyChangeTrend
from .anomaly_cleared import AnomalyCleared
from .anomaly_cleared_type import AnomalyClearedType
from .anomaly_detected import AnomalyDetected
from .anomaly_detected_type import AnomalyDetectedType
from .anomaly_ref import AnomalyRef
from .anomaly_spec import AnomalySpec
from .api_key import ApiKey
from .api_key_create import ApiKeyCreate
from .api_key_create_scope import ApiKeyCreateScope
from .api_key_created import ApiKeyCreated
from .api_key_created_scope import ApiKeyCreatedScope
from .api_key_list import ApiKeyList
from .api_key_scope import ApiKeyScope
from .apply_report import ApplyReport
from .basic_auth import BasicAuth
from .basic_auth_type import BasicAuthType
from .bearer_auth import BearerAuth
from .bearer_auth_type import BearerAuthType
from .capacity import Capacity
from .channel_create import ChannelCreate
from .channel_create_config import ChannelCreateConfig
from .channel_create_events_item import ChannelCreateEventsItem
from .channel_create_kind import ChannelCreateKind
from .channel_field import ChannelField
from .channel_field_input import ChannelFieldInput
from .channel_kind_list import ChannelKindList
from .channel_kind_view import ChannelKindView
from .channel_kind_view_kind import ChannelKindViewKind
from .channel_list import ChannelList
from .channel_test_result import ChannelTestResult
from .channel_view import ChannelView
from .channel_view_config import ChannelViewConfig
from .channel_view_events_item import ChannelViewEventsItem
from .channel_view_kind import ChannelViewKind
from .check_due import CheckDue
from .check_due_type import CheckDueType
from .check_result import CheckResult
from .check_result_details import CheckResultDetails
from .check_result_status import CheckResultStatus
from .check_result_type import CheckResultType
from .config_apply_change import ConfigApplyChange
from .config_apply_change_action import ConfigApplyChangeAction
from .config_apply_change_kind import ConfigApplyChangeKind
from .consumer_stats import ConsumerStats
from .dead_letter import DeadLetter
from .dead_letter_list import DeadLetterList
from .delivery import Delivery
from .delivery_attempt import DeliveryAttempt
from .delivery_attempt_outcome import DeliveryAttemptOutcome
from .delivery_event import DeliveryEvent
from .delivery_list import DeliveryList
from .delivery_type import DeliveryType
from .dns_spec import DnsSpec
from .dns_spec_record_type import DnsSpecRecordType
from .duration_stats import DurationStats
from .escalation import Escalation
from .event_list import EventList
from .export_monitors_format import ExportMonitorsFormat
from .export_monitors_secrets import ExportMonitorsSecrets
from .failure import Failure
from .field_error import FieldError
from .filter_ import Filter
from .found_anomaly import FoundAnomaly
from .get_metric_history_metric import GetMetricHistoryMetric
from .get_metric_history_window import GetMetricHistoryWindow
from .get_monitor_stats_window import GetMonitorStatsWindow
from .get_monitor_trends_window import GetMonitorTrendsWindow
from .get_open_api_document_response_200 import GetOpenApiDocumentResponse200
from .get_throughput_window import GetThroughputWindow
from .grpc_options import GrpcOptions
from .health import Health
from .heartbeat_spec import HeartbeatSpec
from .history import History
from .http_spec import HttpSpec
from .http_spec_headers import HttpSpecHeaders
from .http_spec_method import HttpSpecMethod
from .import_from_tool_from import ImportFromToolFrom
from .import_report import ImportReport
from .import_report_source import ImportReportSource
from .import_result import ImportResult
from .imported_channel import ImportedChannel
from .imported_item import ImportedItem
from .imported_item_outcome import ImportedItemOutcome
from .incident_escalated import IncidentEscalated
from .incident_escalated_type import IncidentEscalatedType
from .incident_list import IncidentList
from .incident_opened import IncidentOpened
from .incident_opened_type import IncidentOpenedType
from .incident_ref import IncidentRef
from .incident_reminder import IncidentReminder
from .incident_reminder_type import IncidentReminderType
from .incident_resolved import IncidentResolved
from .incident_resolved_type import IncidentResolvedType
from .incident_view import IncidentView
from .incident_view_details_type_0 import IncidentViewDetailsType0
from .incident_view_first_result_type_0 import IncidentViewFirstResultType0
from .incident_view_kind import IncidentViewKind
from .incident_view_status import IncidentViewStatus
from .job_run import JobRun
from .job_run_outcome import JobRunOutcome
from .job_run_type import JobRunType
from .json_assertion import JsonAssertion
from .json_assertion_op import JsonAssertionOp
from .kind_series import KindSeries
from .latency_stats import LatencyStats
from .leader_order import LeaderOrder
from .leader_order_action import LeaderOrderAction
from .leader_report import LeaderReport
from .leader_report_behind import LeaderReportBehind
from .list_incidents_status import ListIncidentsStatus
from .list_monitor_runs_outcome import ListMonitorRunsOutcome
from .list_monitor_summaries_status import ListMonitorSummariesStatus
from .list_monitors_status import ListMonitorsStatus
from .list_stream_events_stream import ListStreamEventsStream
from .login_request import LoginRequest
from .login_token import LoginToken
from .maintenance_create import MaintenanceCreate
from .maintenance_list import MaintenanceList
from .maintenance_view import MaintenanceView
from .monitor import Monitor
from .monitor_deleted import MonitorDeleted
from .monitor_deleted_type import MonitorDeletedType
from .monitor_fields import MonitorFields
from .monitor_fields_kind import MonitorFieldsKind
from .monitor_form_field import MonitorFormField
from .monitor_form_field_input import MonitorFormFieldInput
from .monitor_kind import MonitorKind
from .monitor_kind_list import MonitorKindList
from .monitor_kind_view import MonitorKindView
from .monitor_kind_view_kind import MonitorKindViewKind
from .monitor_list import MonitorList
from .monitor_patch import MonitorPatch
from .monitor_ref import MonitorRef
from .monitor_state_changed import MonitorStateChanged
from .monitor_state_changed_type import MonitorStateChangedType
from .monitor_summary import MonitorSummary
from .monitor_summary_kind import MonitorSummaryKind
from .monitor_summary_list import MonitorSummaryList
from .monitor_summary_status import MonitorSummaryStatus
from .monitor_target import MonitorTarget
from .monitor_target_form import MonitorTargetForm
from .monitor_upserted import MonitorUpserted
from .monitor_upserted_type import MonitorUpsertedType
from .monitor_view import MonitorView
from .monitor_view_kind import MonitorViewKind
from .monitor_view_status import MonitorViewStatus
from .move import Move
from .node_load import NodeLoad
from .occurrence import Occurrence
from .offered import Offered
from .outcome import Outcome
from .outcome_action import OutcomeAction
from .outcome_failed import OutcomeFailed
from .own_password_change import OwnPasswordChange
from .password_set import PasswordSet
from .peer import Peer
from .peer_state import PeerState
from .phases import Phases
from .phases_view import PhasesView
from .ping_key import PingKey
from .ping_key_create import PingKeyCreate
from .ping_key_created import PingKeyCreated
from .ping_key_list import PingKeyList
from .ping_spec import PingSpec
from .placement import Placement
from .postgres_options import PostgresOptions
from .postgres_options_sslmode import PostgresOptionsSslmode
from .preview import Preview
from .preview_request import PreviewRequest
from .problem import Problem
from .public_status import PublicStatus
from .purge_request import PurgeRequest
from .push_heartbeat_by_slug_status import PushHeartbeatBySlugStatus
from .push_heartbeat_by_slug_via_get_status import PushHeartbeatBySlugViaGetStatus
from .push_heartbeat_status import PushHeartbeatStatus
from .push_heartbeat_via_get_status import PushHeartbeatViaGetStatus
from .push_receipt import PushReceipt
from .push_receipt_status import PushReceiptStatus
from .queue_health import QueueHealth
from .queue_health_status import QueueHealthStatus
from .queues import Queues
from .readiness import Readiness
from .readiness_checks import ReadinessChecks
from .readiness_status import ReadinessStatus
from .reason import Reason
from .redis_options import RedisOptions
from .region_stats import RegionStats
from .render_uptime_badge_window import RenderUptimeBadgeWindow
from .replica import Replica
from .replica_info import ReplicaInfo
from .replica_list import ReplicaList
from .replica_view import ReplicaView
from .report import Report
from .report_window import ReportWindow
from .result_item import ResultItem
from .result_item_details import ResultItemDetails
from .result_list import ResultList
from .result_ref import ResultRef
from .retried import Retried
from .run_item import RunItem
from .run_list import RunList
from .run_stats import RunStats
from .series import Series
from .setting import Setting
from .setting_list import SettingList
from .smtp_options import SmtpOptions
from .smtp_options_tls import SmtpOptionsTls
from .stats import Stats
from .stats_by_region import StatsByRegion
from .status_day import StatusDay
from .status_incident import StatusIncident
from .status_monitor import StatusMonitor
from .status_page_create import StatusPageCreate
from .status_page_list import StatusPageList
from .status_page_view import StatusPageView
from .stream_event import StreamEvent
from .stream_stats import StreamStats
from .tcp_spec import TcpSpec
from .throughput import Throughput
from .tls_spec import TlsSpec
from .trends import Trends
from .trends_window import TrendsWindow
from .udp_options import UdpOptions
from .udp_options_encoding import UdpOptionsEncoding
from .user import User
from .user_create import UserCreate
from .user_create_role import UserCreateRole
from .user_list import UserList
from .user_patch import UserPatch
from .user_patch_role_type_0 import UserPatchRoleType0
from .user_role import UserRole
from .websocket_options import WebsocketOptions

__all__ = (
    "Advice",
    "Analysis",
    "AnalysisBody",
    "AnalysisByMetric",
    "AnalysisBySeverity",
    "AnomalyChange",
    "AnomalyChangeTrend",
    "AnomalyCleared",
    "AnomalyClearedType",
    "AnomalyDetected",
    "AnomalyDetectedType",
    "AnomalyRef",
    "AnomalySpec",
    "ApiKey",
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyCreatedScope",
    "ApiKeyCreateScope",
    "ApiKeyList",
    "ApiKeyScope",
    "ApplyReport",
    "BasicAuth",
    "BasicAuthType",
    "BearerAuth",
    "BearerAuthType",
    "Capacity",
    "ChannelCreate",
    "ChannelCreateConfig",
    "ChannelCreateEventsItem",
    "ChannelCreateKind",
    "ChannelField",
    "ChannelFieldInput",
    "ChannelKindList",
    "ChannelKindView",
    "ChannelKindViewKind",
    "ChannelList",
    "ChannelTestResult",
    "ChannelView",
    "ChannelViewConfig",
    "ChannelViewEventsItem",
    "ChannelViewKind",
    "CheckDue",
    "CheckDueType",
    "CheckResult",
    "CheckResultDetails",
    "CheckResultStatus",
    "CheckResultType",
    "ConfigApplyChange",
    "ConfigApplyChangeAction",
    "ConfigApplyChangeKind",
    "ConsumerStats",
    "DeadLetter",
    "DeadLetterList",
    "Delivery",
    "DeliveryAttempt",
    "DeliveryAttemptOutcome",
    "DeliveryEvent",
    "DeliveryList",
    "DeliveryType",
    "DnsSpec",
    "DnsSpecRecordType",
    "DurationStats",
    "Escalation",
    "EventList",
    "ExportMonitorsFormat",
    "ExportMonitorsSecrets",
    "Failure",
    "FieldError",
    "Filter",
    "FoundAnomaly",
    "GetMetricHistoryMetric",
    "GetMetricHistoryWindow",
    "GetMonitorStatsWindow",
    "GetMonitorTrendsWindow",
    "GetOpenApiDocumentResponse200",
    "GetThroughputWindow",
    "GrpcOptions",
    "Health",
    "HeartbeatSpec",
    "History",
    "HttpSpec",
    "HttpSpecHeaders",
    "HttpSpecMethod",
    "ImportedChannel",
    "ImportedItem",
    "ImportedItemOutcome",
    "ImportFromToolFrom",
    "ImportReport",
    "ImportReportSource",
    "ImportResult",
    "IncidentEscalated",
    "IncidentEscalatedType",
    "IncidentList",
    "IncidentOpened",
    "IncidentOpenedType",
    "IncidentRef",
    "IncidentReminder",
    "IncidentReminderType",
    "IncidentResolved",
    "IncidentResolvedType",
    "IncidentView",
    "IncidentViewDetailsType0",
    "IncidentViewFirstResultType0",
    "IncidentViewKind",
    "IncidentViewStatus",
    "JobRun",
    "JobRunOutcome",
    "JobRunType",
    "JsonAssertion",
    "JsonAssertionOp",
    "KindSeries",
    "LatencyStats",
    "LeaderOrder",
    "LeaderOrderAction",
    "LeaderReport",
    "LeaderReportBehind",
    "ListIncidentsStatus",
    "ListMonitorRunsOutcome",
    "ListMonitorsStatus",
    "ListMonitorSummariesStatus",
    "ListStreamEventsStream",
    "LoginRequest",
    "LoginToken",
    "MaintenanceCreate",
    "MaintenanceList",
    "MaintenanceView",
    "Monitor",
    "MonitorDeleted",
    "MonitorDeletedType",
    "MonitorFields",
    "MonitorFieldsKind",
    "MonitorFormField",
    "MonitorFormFieldInput",
    "MonitorKind",
    "MonitorKindList",
    "MonitorKindView",
    "MonitorKindViewKind",
    "MonitorList",
    "MonitorPatch",
    "MonitorRef",
    "MonitorStateChanged",
    "MonitorStateChangedType",
    "MonitorSummary",
    "MonitorSummaryKind",
    "MonitorSummaryList",
    "MonitorSummaryStatus",
    "MonitorTarget",
    "MonitorTargetForm",
    "MonitorUpserted",
    "MonitorUpsertedType",
    "MonitorView",
    "MonitorViewKind",
    "MonitorViewStatus",
    "Move",
    "NodeLoad",
    "Occurrence",
    "Offered",
    "Outcome",
    "OutcomeAction",
    "OutcomeFailed",
    "OwnPasswordChange",
    "PasswordSet",
    "Peer",
    "PeerState",
    "Phases",
    "PhasesView",
    "PingKey",
    "PingKeyCreate",
    "PingKeyCreated",
    "PingKeyList",
    "PingSpec",
    "Placement",
    "PostgresOptions",
    "PostgresOptionsSslmode",
    "Preview",
    "PreviewRequest",
    "Problem",
    "PublicStatus",
    "PurgeRequest",
    "PushHeartbeatBySlugStatus",
    "PushHeartbeatBySlugViaGetStatus",
    "PushHeartbeatStatus",
    "PushHeartbeatViaGetStatus",
    "PushReceipt",
    "PushReceiptStatus",
    "QueueHealth",
    "QueueHealthStatus",
    "Queues",
    "Readiness",
    "ReadinessChecks",
    "ReadinessStatus",
    "Reason",
    "RedisOptions",
    "RegionStats",
    "RenderUptimeBadgeWindow",
    "Replica",
    "ReplicaInfo",
    "ReplicaList",
    "ReplicaView",
    "Report",
    "ReportWindow",
    "ResultItem",
    "ResultItemDetails",
    "ResultList",
    "ResultRef",
    "Retried",
    "RunItem",
    "RunList",
    "RunStats",
    "Series",
    "Setting",
    "SettingList",
    "SmtpOptions",
    "SmtpOptionsTls",
    "Stats",
    "StatsByRegion",
    "StatusDay",
    "StatusIncident",
    "StatusMonitor",
    "StatusPageCreate",
    "StatusPageList",
    "StatusPageView",
    "StreamEvent",
    "StreamStats",
    "TcpSpec",
    "Throughput",
    "TlsSpec",
    "Trends",
    "TrendsWindow",
    "UdpOptions",
    "UdpOptionsEncoding",
    "User",
    "UserCreate",
    "UserCreateRole",
    "UserList",
    "UserPatch",
    "UserPatchRoleType0",
    "UserRole",
    "WebsocketOptions",
)
