from enum import StrEnum


class MonitorFieldsKind(StrEnum):
    DNS = "dns"
    GRPC = "grpc"
    HEARTBEAT = "heartbeat"
    HTTP = "http"
    PING = "ping"
    POSTGRES = "postgres"
    REDIS = "redis"
    SMTP = "smtp"
    TCP = "tcp"
    TLS = "tls"
    UDP = "udp"
    WEBSOCKET = "websocket"

    def __str__(self) -> str:
        return str(self.value)
