from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.monitor_view_kind import MonitorViewKind
from ..models.monitor_view_status import MonitorViewStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.anomaly_spec import AnomalySpec
    from ..models.dns_spec import DnsSpec
    from ..models.escalation import Escalation
    from ..models.grpc_options import GrpcOptions
    from ..models.heartbeat_spec import HeartbeatSpec
    from ..models.http_spec import HttpSpec
    from ..models.ping_spec import PingSpec
    from ..models.postgres_options import PostgresOptions
    from ..models.redis_options import RedisOptions
    from ..models.smtp_options import SmtpOptions
    from ..models.tcp_spec import TcpSpec
    from ..models.tls_spec import TlsSpec
    from ..models.udp_options import UdpOptions
    from ..models.websocket_options import WebsocketOptions


T = TypeVar("T", bound="MonitorView")


@_attrs_define
class MonitorView:
    """
    Attributes:
        name (str):
        kind (MonitorViewKind):
        timeout_s (float):
        id (str):
        created_at (str):
        updated_at (str):
        target (str | Unset):  Default: ''.
        interval_s (int | Unset):  Default: 60.
        regions (list[str] | Unset):
        failure_threshold (int | Unset):  Default: 3.
        success_threshold (int | Unset):  Default: 1.
        retry_interval_s (int | None | Unset):
        dns (DnsSpec | None | Unset):
        grpc (GrpcOptions | None | Unset):
        heartbeat (HeartbeatSpec | None | Unset):
        http (HttpSpec | None | Unset):
        ping (None | PingSpec | Unset):
        postgres (None | PostgresOptions | Unset):
        redis (None | RedisOptions | Unset):
        smtp (None | SmtpOptions | Unset):
        tcp (None | TcpSpec | Unset):
        tls (None | TlsSpec | Unset):
        udp (None | UdpOptions | Unset):
        websocket (None | Unset | WebsocketOptions):
        channel_ids (list[str] | Unset):
        quorum (int | None | Unset):
        reminder_every_s (int | None | Unset):
        escalation (Escalation | None | Unset):
        anomaly (AnomalySpec | None | Unset):
        tags (list[str] | Unset):
        paused (bool | Unset):  Default: False.
        version (int | Unset):  Default: 1.
        push_token (None | str | Unset):
        target_sealed (None | str | Unset):
        status (MonitorViewStatus | Unset):  Default: MonitorViewStatus.PENDING.
        last_checked_at (None | str | Unset):
        push_url (None | str | Unset):
    """

    name: str
    kind: MonitorViewKind
    timeout_s: float
    id: str
    created_at: str
    updated_at: str
    target: str | Unset = ""
    interval_s: int | Unset = 60
    regions: list[str] | Unset = UNSET
    failure_threshold: int | Unset = 3
    success_threshold: int | Unset = 1
    retry_interval_s: int | None | Unset = UNSET
    dns: DnsSpec | None | Unset = UNSET
    grpc: GrpcOptions | None | Unset = UNSET
    heartbeat: HeartbeatSpec | None | Unset = UNSET
    http: HttpSpec | None | Unset = UNSET
    ping: None | PingSpec | Unset = UNSET
    postgres: None | PostgresOptions | Unset = UNSET
    redis: None | RedisOptions | Unset = UNSET
    smtp: None | SmtpOptions | Unset = UNSET
    tcp: None | TcpSpec | Unset = UNSET
    tls: None | TlsSpec | Unset = UNSET
    udp: None | UdpOptions | Unset = UNSET
    websocket: None | Unset | WebsocketOptions = UNSET
    channel_ids: list[str] | Unset = UNSET
    quorum: int | None | Unset = UNSET
    reminder_every_s: int | None | Unset = UNSET
    escalation: Escalation | None | Unset = UNSET
    anomaly: AnomalySpec | None | Unset = UNSET
    tags: list[str] | Unset = UNSET
    paused: bool | Unset = False
    version: int | Unset = 1
    push_token: None | str | Unset = UNSET
    target_sealed: None | str | Unset = UNSET
    status: MonitorViewStatus | Unset = MonitorViewStatus.PENDING
    last_checked_at: None | str | Unset = UNSET
    push_url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.anomaly_spec import AnomalySpec  # noqa: PLC0415
        from ..models.dns_spec import DnsSpec  # noqa: PLC0415
        from ..models.escalation import Escalation  # noqa: PLC0415
        from ..models.grpc_options import GrpcOptions  # noqa: PLC0415
        from ..models.heartbeat_spec import HeartbeatSpec  # noqa: PLC0415
        from ..models.http_spec import HttpSpec  # noqa: PLC0415
        from ..models.ping_spec import PingSpec  # noqa: PLC0415
        from ..models.postgres_options import PostgresOptions  # noqa: PLC0415
        from ..models.redis_options import RedisOptions  # noqa: PLC0415
        from ..models.smtp_options import SmtpOptions  # noqa: PLC0415
        from ..models.tcp_spec import TcpSpec  # noqa: PLC0415
        from ..models.tls_spec import TlsSpec  # noqa: PLC0415
        from ..models.udp_options import UdpOptions  # noqa: PLC0415
        from ..models.websocket_options import WebsocketOptions  # noqa: PLC0415

        name = self.name

        kind = self.kind.value

        timeout_s = self.timeout_s

        id = self.id

        created_at = self.created_at

        updated_at = self.updated_at

        target = self.target

        interval_s = self.interval_s

        regions: list[str] | Unset = UNSET
        if not isinstance(self.regions, Unset):
            regions = self.regions

        failure_threshold = self.failure_threshold

        success_threshold = self.success_threshold

        retry_interval_s: int | None | Unset
        if isinstance(self.retry_interval_s, Unset):
            retry_interval_s = UNSET
        else:
            retry_interval_s = self.retry_interval_s

        dns: dict[str, Any] | None | Unset
        if isinstance(self.dns, Unset):
            dns = UNSET
        elif isinstance(self.dns, DnsSpec):
            dns = self.dns.to_dict()
        else:
            dns = self.dns

        grpc: dict[str, Any] | None | Unset
        if isinstance(self.grpc, Unset):
            grpc = UNSET
        elif isinstance(self.grpc, GrpcOptions):
            grpc = self.grpc.to_dict()
        else:
            grpc = self.grpc

        heartbeat: dict[str, Any] | None | Unset
        if isinstance(self.heartbeat, Unset):
            heartbeat = UNSET
        elif isinstance(self.heartbeat, HeartbeatSpec):
            heartbeat = self.heartbeat.to_dict()
        else:
            heartbeat = self.heartbeat

        http: dict[str, Any] | None | Unset
        if isinstance(self.http, Unset):
            http = UNSET
        elif isinstance(self.http, HttpSpec):
            http = self.http.to_dict()
        else:
            http = self.http

        ping: dict[str, Any] | None | Unset
        if isinstance(self.ping, Unset):
            ping = UNSET
        elif isinstance(self.ping, PingSpec):
            ping = self.ping.to_dict()
        else:
            ping = self.ping

        postgres: dict[str, Any] | None | Unset
        if isinstance(self.postgres, Unset):
            postgres = UNSET
        elif isinstance(self.postgres, PostgresOptions):
            postgres = self.postgres.to_dict()
        else:
            postgres = self.postgres

        redis: dict[str, Any] | None | Unset
        if isinstance(self.redis, Unset):
            redis = UNSET
        elif isinstance(self.redis, RedisOptions):
            redis = self.redis.to_dict()
        else:
            redis = self.redis

        smtp: dict[str, Any] | None | Unset
        if isinstance(self.smtp, Unset):
            smtp = UNSET
        elif isinstance(self.smtp, SmtpOptions):
            smtp = self.smtp.to_dict()
        else:
            smtp = self.smtp

        tcp: dict[str, Any] | None | Unset
        if isinstance(self.tcp, Unset):
            tcp = UNSET
        elif isinstance(self.tcp, TcpSpec):
            tcp = self.tcp.to_dict()
        else:
            tcp = self.tcp

        tls: dict[str, Any] | None | Unset
        if isinstance(self.tls, Unset):
            tls = UNSET
        elif isinstance(self.tls, TlsSpec):
            tls = self.tls.to_dict()
        else:
            tls = self.tls

        udp: dict[str, Any] | None | Unset
        if isinstance(self.udp, Unset):
            udp = UNSET
        elif isinstance(self.udp, UdpOptions):
            udp = self.udp.to_dict()
        else:
            udp = self.udp

        websocket: dict[str, Any] | None | Unset
        if isinstance(self.websocket, Unset):
            websocket = UNSET
        elif isinstance(self.websocket, WebsocketOptions):
            websocket = self.websocket.to_dict()
        else:
            websocket = self.websocket

        channel_ids: list[str] | Unset = UNSET
        if not isinstance(self.channel_ids, Unset):
            channel_ids = self.channel_ids

        quorum: int | None | Unset
        if isinstance(self.quorum, Unset):
            quorum = UNSET
        else:
            quorum = self.quorum

        reminder_every_s: int | None | Unset
        if isinstance(self.reminder_every_s, Unset):
            reminder_every_s = UNSET
        else:
            reminder_every_s = self.reminder_every_s

        escalation: dict[str, Any] | None | Unset
        if isinstance(self.escalation, Unset):
            escalation = UNSET
        elif isinstance(self.escalation, Escalation):
            escalation = self.escalation.to_dict()
        else:
            escalation = self.escalation

        anomaly: dict[str, Any] | None | Unset
        if isinstance(self.anomaly, Unset):
            anomaly = UNSET
        elif isinstance(self.anomaly, AnomalySpec):
            anomaly = self.anomaly.to_dict()
        else:
            anomaly = self.anomaly

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        paused = self.paused

        version = self.version

        push_token: None | str | Unset
        if isinstance(self.push_token, Unset):
            push_token = UNSET
        else:
            push_token = self.push_token

        target_sealed: None | str | Unset
        if isinstance(self.target_sealed, Unset):
            target_sealed = UNSET
        else:
            target_sealed = self.target_sealed

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        last_checked_at: None | str | Unset
        if isinstance(self.last_checked_at, Unset):
            last_checked_at = UNSET
        else:
            last_checked_at = self.last_checked_at

        push_url: None | str | Unset
        if isinstance(self.push_url, Unset):
            push_url = UNSET
        else:
            push_url = self.push_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "kind": kind,
                "timeout_s": timeout_s,
                "id": id,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if target is not UNSET:
            field_dict["target"] = target
        if interval_s is not UNSET:
            field_dict["interval_s"] = interval_s
        if regions is not UNSET:
            field_dict["regions"] = regions
        if failure_threshold is not UNSET:
            field_dict["failure_threshold"] = failure_threshold
        if success_threshold is not UNSET:
            field_dict["success_threshold"] = success_threshold
        if retry_interval_s is not UNSET:
            field_dict["retry_interval_s"] = retry_interval_s
        if dns is not UNSET:
            field_dict["dns"] = dns
        if grpc is not UNSET:
            field_dict["grpc"] = grpc
        if heartbeat is not UNSET:
            field_dict["heartbeat"] = heartbeat
        if http is not UNSET:
            field_dict["http"] = http
        if ping is not UNSET:
            field_dict["ping"] = ping
        if postgres is not UNSET:
            field_dict["postgres"] = postgres
        if redis is not UNSET:
            field_dict["redis"] = redis
        if smtp is not UNSET:
            field_dict["smtp"] = smtp
        if tcp is not UNSET:
            field_dict["tcp"] = tcp
        if tls is not UNSET:
            field_dict["tls"] = tls
        if udp is not UNSET:
            field_dict["udp"] = udp
        if websocket is not UNSET:
            field_dict["websocket"] = websocket
        if channel_ids is not UNSET:
            field_dict["channel_ids"] = channel_ids
        if quorum is not UNSET:
            field_dict["quorum"] = quorum
        if reminder_every_s is not UNSET:
            field_dict["reminder_every_s"] = reminder_every_s
        if escalation is not UNSET:
            field_dict["escalation"] = escalation
        if anomaly is not UNSET:
            field_dict["anomaly"] = anomaly
        if tags is not UNSET:
            field_dict["tags"] = tags
        if paused is not UNSET:
            field_dict["paused"] = paused
        if version is not UNSET:
            field_dict["version"] = version
        if push_token is not UNSET:
            field_dict["push_token"] = push_token
        if target_sealed is not UNSET:
            field_dict["target_sealed"] = target_sealed
        if status is not UNSET:
            field_dict["status"] = status
        if last_checked_at is not UNSET:
            field_dict["last_checked_at"] = last_checked_at
        if push_url is not UNSET:
            field_dict["push_url"] = push_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.anomaly_spec import AnomalySpec  # noqa: PLC0415
        from ..models.dns_spec import DnsSpec  # noqa: PLC0415
        from ..models.escalation import Escalation  # noqa: PLC0415
        from ..models.grpc_options import GrpcOptions  # noqa: PLC0415
        from ..models.heartbeat_spec import HeartbeatSpec  # noqa: PLC0415
        from ..models.http_spec import HttpSpec  # noqa: PLC0415
        from ..models.ping_spec import PingSpec  # noqa: PLC0415
        from ..models.postgres_options import PostgresOptions  # noqa: PLC0415
        from ..models.redis_options import RedisOptions  # noqa: PLC0415
        from ..models.smtp_options import SmtpOptions  # noqa: PLC0415
        from ..models.tcp_spec import TcpSpec  # noqa: PLC0415
        from ..models.tls_spec import TlsSpec  # noqa: PLC0415
        from ..models.udp_options import UdpOptions  # noqa: PLC0415
        from ..models.websocket_options import WebsocketOptions  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        kind = MonitorViewKind(d.pop("kind"))

        timeout_s = d.pop("timeout_s")

        id = d.pop("id")

        created_at = d.pop("created_at")

        updated_at = d.pop("updated_at")

        target = d.pop("target", UNSET)

        interval_s = d.pop("interval_s", UNSET)

        regions = cast(list[str], d.pop("regions", UNSET))

        failure_threshold = d.pop("failure_threshold", UNSET)

        success_threshold = d.pop("success_threshold", UNSET)

        def _parse_retry_interval_s(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        retry_interval_s = _parse_retry_interval_s(d.pop("retry_interval_s", UNSET))

        def _parse_dns(data: object) -> DnsSpec | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                dns_type_0 = DnsSpec.from_dict(data)

                return dns_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DnsSpec | None | Unset, data)

        dns = _parse_dns(d.pop("dns", UNSET))

        def _parse_grpc(data: object) -> GrpcOptions | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                grpc_type_0 = GrpcOptions.from_dict(data)

                return grpc_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GrpcOptions | None | Unset, data)

        grpc = _parse_grpc(d.pop("grpc", UNSET))

        def _parse_heartbeat(data: object) -> HeartbeatSpec | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                heartbeat_type_0 = HeartbeatSpec.from_dict(data)

                return heartbeat_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(HeartbeatSpec | None | Unset, data)

        heartbeat = _parse_heartbeat(d.pop("heartbeat", UNSET))

        def _parse_http(data: object) -> HttpSpec | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                http_type_0 = HttpSpec.from_dict(data)

                return http_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(HttpSpec | None | Unset, data)

        http = _parse_http(d.pop("http", UNSET))

        def _parse_ping(data: object) -> None | PingSpec | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                ping_type_0 = PingSpec.from_dict(data)

                return ping_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PingSpec | Unset, data)

        ping = _parse_ping(d.pop("ping", UNSET))

        def _parse_postgres(data: object) -> None | PostgresOptions | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                postgres_type_0 = PostgresOptions.from_dict(data)

                return postgres_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PostgresOptions | Unset, data)

        postgres = _parse_postgres(d.pop("postgres", UNSET))

        def _parse_redis(data: object) -> None | RedisOptions | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                redis_type_0 = RedisOptions.from_dict(data)

                return redis_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RedisOptions | Unset, data)

        redis = _parse_redis(d.pop("redis", UNSET))

        def _parse_smtp(data: object) -> None | SmtpOptions | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                smtp_type_0 = SmtpOptions.from_dict(data)

                return smtp_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SmtpOptions | Unset, data)

        smtp = _parse_smtp(d.pop("smtp", UNSET))

        def _parse_tcp(data: object) -> None | TcpSpec | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tcp_type_0 = TcpSpec.from_dict(data)

                return tcp_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TcpSpec | Unset, data)

        tcp = _parse_tcp(d.pop("tcp", UNSET))

        def _parse_tls(data: object) -> None | TlsSpec | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tls_type_0 = TlsSpec.from_dict(data)

                return tls_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TlsSpec | Unset, data)

        tls = _parse_tls(d.pop("tls", UNSET))

        def _parse_udp(data: object) -> None | UdpOptions | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                udp_type_0 = UdpOptions.from_dict(data)

                return udp_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UdpOptions | Unset, data)

        udp = _parse_udp(d.pop("udp", UNSET))

        def _parse_websocket(data: object) -> None | Unset | WebsocketOptions:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                websocket_type_0 = WebsocketOptions.from_dict(data)

                return websocket_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WebsocketOptions, data)

        websocket = _parse_websocket(d.pop("websocket", UNSET))

        channel_ids = cast(list[str], d.pop("channel_ids", UNSET))

        def _parse_quorum(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        quorum = _parse_quorum(d.pop("quorum", UNSET))

        def _parse_reminder_every_s(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        reminder_every_s = _parse_reminder_every_s(d.pop("reminder_every_s", UNSET))

        def _parse_escalation(data: object) -> Escalation | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                escalation_type_0 = Escalation.from_dict(data)

                return escalation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Escalation | None | Unset, data)

        escalation = _parse_escalation(d.pop("escalation", UNSET))

        def _parse_anomaly(data: object) -> AnomalySpec | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                anomaly_type_0 = AnomalySpec.from_dict(data)

                return anomaly_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AnomalySpec | None | Unset, data)

        anomaly = _parse_anomaly(d.pop("anomaly", UNSET))

        tags = cast(list[str], d.pop("tags", UNSET))

        paused = d.pop("paused", UNSET)

        version = d.pop("version", UNSET)

        def _parse_push_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        push_token = _parse_push_token(d.pop("push_token", UNSET))

        def _parse_target_sealed(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        target_sealed = _parse_target_sealed(d.pop("target_sealed", UNSET))

        _status = d.pop("status", UNSET)
        status: MonitorViewStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = MonitorViewStatus(_status)

        def _parse_last_checked_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_checked_at = _parse_last_checked_at(d.pop("last_checked_at", UNSET))

        def _parse_push_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        push_url = _parse_push_url(d.pop("push_url", UNSET))

        monitor_view = cls(
            name=name,
            kind=kind,
            timeout_s=timeout_s,
            id=id,
            created_at=created_at,
            updated_at=updated_at,
            target=target,
            interval_s=interval_s,
            regions=regions,
            failure_threshold=failure_threshold,
            success_threshold=success_threshold,
            retry_interval_s=retry_interval_s,
            dns=dns,
            grpc=grpc,
            heartbeat=heartbeat,
            http=http,
            ping=ping,
            postgres=postgres,
            redis=redis,
            smtp=smtp,
            tcp=tcp,
            tls=tls,
            udp=udp,
            websocket=websocket,
            channel_ids=channel_ids,
            quorum=quorum,
            reminder_every_s=reminder_every_s,
            escalation=escalation,
            anomaly=anomaly,
            tags=tags,
            paused=paused,
            version=version,
            push_token=push_token,
            target_sealed=target_sealed,
            status=status,
            last_checked_at=last_checked_at,
            push_url=push_url,
        )

        monitor_view.additional_properties = d
        return monitor_view

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
